"""Each community's Atom feed per topic: /follow/feeds/<community>/<topic>.atom, public, read signed out.

The newest 50 items of the topic (alliance.core.feeds: one query per source, then 1 for the community), no
personal data (the sources publish none)."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from alliance.core.feeds import Topic
from alliance.following import selectors
from grids.models import GridNode

TOPICS = dict(Topic.choices)


class CommunityFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, community_pk: int, topic: str):
        if topic not in TOPICS:
            raise Http404(_("没有这类动态"))
        community = GridNode.objects.filter(pk=community_pk, level=GridNode.Level.COMMUNITY).first()
        if community is None:
            raise Http404(_("社区不存在"))
        return community, topic

    def title(self, obj):
        community, topic = obj
        return f"{community.name} · {TOPICS[topic]}"

    def subtitle(self, obj):
        community, topic = obj
        return _("%(community)s的%(topic)s，最新%(n)s条。") % {
            "community": community.name,
            "topic": TOPICS[topic],
            "n": selectors.FEED_ITEMS,
        }

    def link(self, obj):
        return reverse("grids:node", args=[obj[0].pk])

    def feed_url(self, obj):
        return reverse("following:feed", args=[obj[0].pk, obj[1]])

    def items(self, obj):
        return selectors.community_feed(*obj)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return f"{item.area} · {item.summary}" if item.area else item.summary

    def item_link(self, item):
        return item.url

    def item_guid(self, item):
        return f"tag:{_host()},2026:{item.key}"

    def item_guid_is_permalink(self, item):
        return False

    def item_pubdate(self, item):
        return item.at

    def item_updateddate(self, item):
        return item.at


def _host() -> str:
    site = getattr(settings, "SITE_URL", "") or "localhost"
    return site.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"
