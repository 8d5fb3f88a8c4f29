"""What a follower of an area hears of the lists (alliance.core.feeds): needs newly on the public list (reviewed:
``selectors.listed_needs``, so a unit's need waiting for review never appears) and projects newly published.
One query per source; the summaries name the category and the area, never who posted."""

from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from alliance.core import feeds
from projects import selectors
from projects.models import Project


def listed_needs(nodes, since, until, limit) -> list[feeds.FeedItem]:
    rows = (
        selectors.listed_needs()
        .annotate(listed_at=Coalesce("reviewed_at", "created_at"))
        .filter(feeds.in_subtrees(nodes), listed_at__gte=since, listed_at__lt=until)
        .order_by("-listed_at", "-pk")
        .values("pk", "kind", "title", "listed_at", "category__name", "grid_node__name")[:limit]
    )
    return [
        feeds.FeedItem(
            topic=feeds.Topic.LISTS,
            key=f"need:{row['pk']}",
            title=(_("新问题：%(title)s") if row["kind"] == "problem" else _("新需求：%(title)s"))
            % {"title": row["title"]},
            summary=f"{row['category__name']} · {row['grid_node__name']}",
            url=reverse("projects:need", args=[row["pk"]]),
            at=row["listed_at"],
            area=row["grid_node__name"],
        )
        for row in rows
    ]


def published_projects(nodes, since, until, limit) -> list[feeds.FeedItem]:
    rows = (
        Project.objects.filter(
            feeds.in_subtrees(nodes),
            status__in=selectors.PUBLIC_PROJECT_STATUSES,
            published_at__gte=since,
            published_at__lt=until,
        )
        .order_by("-published_at", "-pk")
        .values("pk", "title", "published_at", "category__name", "grid_node__name")[:limit]
    )
    return [
        feeds.FeedItem(
            topic=feeds.Topic.LISTS,
            key=f"project:{row['pk']}",
            title=_("新项目：%(title)s") % {"title": row["title"]},
            summary=f"{row['category__name']} · {row['grid_node__name']}",
            url=reverse("projects:project", args=[row["pk"]]),
            at=row["published_at"],
            area=row["grid_node__name"],
        )
        for row in rows
    ]


def register() -> None:
    feeds.register(feeds.FeedSource(topic=feeds.Topic.LISTS, name="projects.needs", items=listed_needs))
    feeds.register(feeds.FeedSource(topic=feeds.Topic.LISTS, name="projects.projects", items=published_projects))
