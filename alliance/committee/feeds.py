"""What a follower of an area hears of the committee (alliance.core.feeds): published news and notices.

A community's articles reach the followers of the community and of its micro-grids; a street's notices reach
the followers of every community below the street; the district's articles (全区, no grid node) reach every follower. One query, whatever the number of items.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from alliance.committee.models import Article
from alliance.core import feeds
from grids.models import GridNode


def published_articles(nodes, since, until, limit) -> list[feeds.FeedItem]:
    above = feeds.ancestor_ids(nodes)
    rows = (
        Article.objects.filter(
            feeds.in_subtrees(nodes)
            | Q(grid_node__isnull=True)
            | Q(grid_node_id__in=above) & (Q(grid_node__level=GridNode.Level.COMMUNITY) | Q(kind=Article.Kind.NOTICE)),
            status=Article.Status.PUBLISHED,
            publish_at__gte=since,
            publish_at__lt=until,
        )
        .order_by("-publish_at", "-pk")
        .values("pk", "kind", "title", "summary", "publish_at", "grid_node__name")[:limit]
    )
    kinds = dict(Article.Kind.choices)
    return [
        feeds.FeedItem(
            topic=feeds.Topic.NEWS,
            key=f"article:{row['pk']}",
            title=row["title"],
            summary=row["summary"] or str(kinds[row["kind"]]),
            url=reverse("alliance:news_detail", args=[row["pk"]]),
            at=row["publish_at"],
            area=row["grid_node__name"] or str(_("全区")),
        )
        for row in rows
    ]


def register() -> None:
    feeds.register(feeds.FeedSource(topic=feeds.Topic.NEWS, name="committee.articles", items=published_articles))
