"""The Excel exports of the selections (alliance.core.exports): the list of selections, and the result of the
selected ones (each candidate with its votes and share; no voter)."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from alliance.core.exports import Column, Export, label, text, when
from alliance.surveys.models import Candidate, Vote

SELECTIONS = Export(
    sheet=_("评选活动"),
    slug="selections",
    columns=[
        text(_("编号"), "id"),
        text(_("评选名称"), "title"),
        text(_("评选范围"), "grid_node.name"),
        when(_("投票开始时间"), "starts_at"),
        when(_("投票截止时间"), "ends_at"),
        text(_("评选名额"), "places"),
        label(_("状态"), "status"),
        text(_("候选对象数"), "candidate_total"),
        text(_("投票人数"), "vote_total"),
        when(_("公布时间"), "published_at"),
    ],
    select_related=["grid_node"],
)


def _share(candidate) -> float:
    total = candidate.selection_votes or 0
    return round(100 * candidate.vote_count / total, 1) if total else 0.0


RESULTS = Export(
    sheet=_("评选结果"),
    slug="selection-results",
    columns=[
        text(_("评选名称"), "selection.title"),
        label(_("评选状态"), "selection.status"),
        text(_("候选名称"), "name"),
        text(_("所在社区"), "community.name"),
        text(_("得票数"), "vote_count"),
        Column(_("得票率（%）"), _share),
        text(_("评选投票总数"), "selection_votes"),
    ],
    select_related=["selection", "community"],
)


def results_of(selections):
    """The candidates of the selected selections with their votes, best first within each selection."""
    totals = (
        Vote.objects.filter(selection=OuterRef("selection"))
        .order_by()
        .values("selection")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Candidate.objects.filter(selection__in=selections.values("pk"))
        .annotate(vote_count=Count("votes"), selection_votes=Coalesce(Subquery(totals), 0))
        .order_by("selection", "-vote_count", "position", "pk")
    )
