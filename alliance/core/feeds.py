"""What a follower of an area hears about: the registry of public items each app publishes, by topic.

A person follows a community or a micro-grid (alliance.following) and chooses topics; the daily or weekly
digest and the Atom feed of a community collect the items of those topics in the followed area's subtree.
The kernel names no domain app, so each app registers its sources in its ``AppConfig.ready()``::

    feeds.register(feeds.FeedSource(topic=feeds.Topic.NEWS, name="committee.articles", items=published_articles))

``items(nodes, since, until, limit)`` returns at most ``limit`` ``FeedItem`` of the subtrees of ``nodes``
(grid nodes; an app may add what it addresses to all of them from above, such as a street's notices), which
happened in ``[since, until)``, newest first, in a fixed number of queries whatever the number of items.

An item is public: its title, summary and link never name a resident or carry a phone number (the feeds are
read signed out, the digests are mailed).
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    NEWS = "news", _("新闻和通知公告")
    LISTS = "lists", _("新需求和新项目")
    ACTIVITIES = "activities", _("活动")
    ISSUES = "issues", _("公开的居民说事和办理结果")
    RESULTS = "results", _("征集、评选和微建议的结果")


@dataclass(frozen=True)
class FeedItem:
    topic: str
    key: str  # unique and stable: "<model>:<pk>[:<what happened>]", the Atom entry's id and the digest's dedupe
    title: str
    summary: str
    url: str  # the public page, a path ("/lists/needs/12/")
    at: datetime.datetime
    area: str = ""  # the grid node's name where it happened ("玉函路社区")


ItemsFn = Callable[[Sequence, datetime.datetime, datetime.datetime, int], list[FeedItem]]


@dataclass(frozen=True)
class FeedSource:
    topic: str
    name: str  # "<app>.<what>", unique
    items: ItemsFn


_SOURCES: dict[str, FeedSource] = {}


def register(source: FeedSource) -> FeedSource:
    """Adds (or replaces, by name) a source; called from an app's ``ready()``."""
    _SOURCES[source.name] = source
    return source


def sources(topics: Sequence[str] | None = None) -> list[FeedSource]:
    return [s for s in _SOURCES.values() if topics is None or s.topic in topics]


def collect(
    nodes: Sequence,
    topics: Sequence[str],
    since: datetime.datetime,
    until: datetime.datetime,
    limit: int = 50,
) -> list[FeedItem]:
    """The newest ``limit`` items of ``topics`` in the subtrees of ``nodes``, one per key, newest first."""
    found: dict[str, FeedItem] = {}
    for source in sources(topics):
        for item in source.items(nodes, since, until, limit):
            found.setdefault(item.key, item)
    return sorted(found.values(), key=lambda item: (item.at, item.key), reverse=True)[:limit]


def in_subtrees(nodes: Sequence, field: str = "grid_node") -> models.Q:
    """The filter "``field`` lies in the subtree of one of ``nodes``" (one indexed prefix match per node)."""
    q = models.Q(pk__in=[])
    for node in nodes:
        q |= models.Q(**{f"{field}__path__startswith": node.path})
    return q


def ancestor_ids(nodes: Sequence) -> set[int]:
    """The primary keys of the nodes above ``nodes`` (read from their materialised paths: no query)."""
    found: set[int] = set()
    for node in nodes:
        found.update(int(pk) for pk in node.path.strip("/").split("/")[:-1] if pk)
    return found
