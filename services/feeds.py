"""What a follower of an area hears of the services (alliance.core.feeds): activities newly published (open for
sign-up), and the public issue board's issues made public and their results (services.selectors_board). One query
each; the summary gives the time and the place, never who signed up or reported."""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from alliance.core import feeds
from services import selectors_board
from services.models import Activity


def published_activities(nodes, since, until, limit) -> list[feeds.FeedItem]:
    rows = (
        Activity.objects.filter(
            feeds.in_subtrees(nodes),
            status=Activity.Status.PUBLISHED,
            created_at__gte=since,
            created_at__lt=until,
        )
        .order_by("-created_at", "-pk")
        .values("pk", "title", "created_at", "starts_at", "place", "grid_node__name")[:limit]
    )
    return [
        feeds.FeedItem(
            topic=feeds.Topic.ACTIVITIES,
            key=f"activity:{row['pk']}",
            title=_("新活动：%(title)s") % {"title": row["title"]},
            summary=_("%(when)s · %(place)s")
            % {"when": date_format(timezone.localtime(row["starts_at"]), _("m月d日 H:i")), "place": row["place"]},
            url=reverse("services:activity", args=[row["pk"]]),
            at=row["created_at"],
            area=row["grid_node__name"],
        )
        for row in rows
    ]


def register() -> None:
    feeds.register(
        feeds.FeedSource(topic=feeds.Topic.ACTIVITIES, name="services.activities", items=published_activities)
    )
    feeds.register(
        feeds.FeedSource(topic=feeds.Topic.ISSUES, name="services.issue_board", items=selectors_board.feed_items)
    )
