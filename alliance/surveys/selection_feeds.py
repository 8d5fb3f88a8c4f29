"""The feed of published selection results (topic RESULTS), registered in SurveysConfig.ready().

An item names the selection and its area and how many took part, never a voter."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from alliance.core import feeds
from alliance.surveys.models import Selection
from alliance.surveys.selection_selectors import area_q


def published_results(nodes, since, until, limit) -> list[feeds.FeedItem]:
    """Selections published in [since, until) held in, above or below the followed nodes (one query)."""
    if not nodes:
        return []
    where = Q()
    for node in nodes:
        where |= area_q(node)
    rows = (
        Selection.objects.filter(
            where, status=Selection.Status.PUBLISHED, published_at__gte=since, published_at__lt=until
        )
        .select_related("grid_node")
        .annotate(voters=Count("votes", distinct=True), candidate_count=Count("candidates", distinct=True))
        .order_by("-published_at", "-pk")[:limit]
    )
    return [
        feeds.FeedItem(
            topic=feeds.Topic.RESULTS,
            key=f"selection:{s.pk}:published",
            title=_("评选结果公布：%(title)s") % {"title": s.title},
            summary=_("%(candidates)d个候选对象，%(voters)d人参与投票，评出%(places)d个名额。")
            % {"candidates": s.candidate_count, "voters": s.voters, "places": s.places},
            url=reverse("surveys:selection_results", args=[s.pk]),
            at=s.published_at,
            area=s.grid_node.name,
        )
        for s in rows
    ]


SOURCE = feeds.FeedSource(topic=feeds.Topic.RESULTS, name="surveys.selection_results", items=published_results)
