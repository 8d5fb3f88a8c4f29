"""Reads of alliance.following: a person's follows and digests, and the items of a community's Atom feed."""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from alliance.core import feeds
from alliance.following.models import Digest, Follow

FEED_ITEMS = 50  # the newest items of a community's Atom feed
FEED_SINCE = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)  # "ever": the feed is bounded by its count
RECENT_DIGESTS = 10


def own_follows(user) -> list[Follow]:
    """The person's follows with their area and the area's parent (for the community's feeds): 1 query."""
    return list(Follow.objects.filter(user_id=user.pk).select_related("node__parent").order_by("node__path", "pk"))


def own_digests(user) -> QuerySet:
    return Digest.objects.filter(user_id=user.pk)


def recent_digests(user) -> list[Digest]:
    return list(own_digests(user).defer("items").order_by("-created_at", "-pk")[:RECENT_DIGESTS])


def community_feed(community, topic: str) -> list[feeds.FeedItem]:
    """The newest items of one topic in a community's subtree (and what the street addresses to it)."""
    return feeds.collect([community], [topic], FEED_SINCE, timezone.now(), limit=FEED_ITEMS)
