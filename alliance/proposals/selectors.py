"""Reads of residents' proposals: who sees which, the rows a list or a page needs, the stage in residents' words."""

import re

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from alliance.committee.models import Milestone
from alliance.core.privacy import mask_name
from alliance.core.scoping import sees_all, subtree_q
from alliance.proposals.models import Comment, Proposal, ProposalEvent, ProposalPhoto, ProposalRule

S = Proposal.Status
DUPLICATE_NOTE = re.compile(r"与“(?P<title>.*)”重复", re.S)
PUBLIC = (S.PUBLISHED, S.RAISED, S.MERGED)


def visible_proposals(user) -> QuerySet[Proposal]:
    """Public ones (published, raised, merged) for anyone; one's own in any state; staff see their subtree's."""
    qs = Proposal.objects.all()
    if user is None or not user.is_authenticated:
        return qs.filter(status__in=PUBLIC)
    if sees_all(user):
        return qs
    seen = Q(status__in=PUBLIC) | Q(author=user)
    if user.is_staff_role and user.grid_node_id:
        seen |= subtree_q("community", user.grid_node)
    return qs.filter(seen)


def list_rows(qs: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """What a row of a list shows: the place, the author's name (masked), the matter's stage."""
    return qs.select_related("community", "micro_grid", "author", "matter").order_by("-submitted_at", "-id")


def detail_rows(qs: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """A proposal's page: the row with its place, author, merge target and matter; photos, shown comments and
    the matter's milestones prefetched."""
    return qs.select_related("community", "micro_grid", "author", "merged_into", "matter__committee").prefetch_related(
        Prefetch("photos", ProposalPhoto.objects.only("id", "proposal_id", "image")),
        Prefetch("comments", Comment.objects.filter(hidden=False).select_related("author"), to_attr="shown_comments"),
    )


def milestones(proposal: Proposal) -> list[Milestone]:
    """The follow-up steps of the proposal's matter (one query, none without a matter)."""
    if proposal.matter_id is None:
        return []
    return list(Milestone.objects.filter(matter_id=proposal.matter_id).order_by("sort_order", "id"))


def moderation_history(proposal: Proposal) -> list[ProposalEvent]:
    """The proposal's events, each with ``shown_note``: its note in the reader's language."""
    events = list(ProposalEvent.objects.filter(proposal=proposal).select_related("by"))
    for event in events:
        event.shown_note = shown_note(event)  # type: ignore[attr-defined]
    return events


def shown_note(event: ProposalEvent) -> str:
    """The notes the actions write themselves (stored in Chinese) in the reader's language; a reason typed by
    staff as it was typed."""
    note = event.note
    duplicate = DUPLICATE_NOTE.fullmatch(note)
    if event.kind == ProposalEvent.Kind.MERGED and duplicate:
        return _("与“%(title)s”重复") % {"title": duplicate["title"]}
    if event.kind == ProposalEvent.Kind.RAISED and note.startswith("提交"):
        return _("提交%(committee)s") % {"committee": note.removeprefix("提交")}
    return note


def thresholds(communities) -> dict[int, int]:
    """Each community's threshold (the default where it set no rule), in one query."""
    found = dict(ProposalRule.objects.filter(community__in=communities).values_list("community_id", "threshold"))
    return {c.pk: found.get(c.pk, ProposalRule._meta.get_field("threshold").default) for c in communities}


def masked(person) -> str:
    """A person as the public sees them: “王**”, never a phone number (an account's name may be one) or a full name."""
    return mask_name(person.display_name) or _("居民")


def author_label(proposal: Proposal) -> str:
    return masked(proposal.author)


def stage(proposal: Proposal) -> tuple[str, str]:
    """(the stage in residents' words, its tag class): a raised proposal follows its matter."""
    if proposal.status != S.RAISED or proposal.matter is None:
        tone = {"published": "ok", "declined": "warn"}.get(str(proposal.status), "")
        return str(proposal.get_status_display()), tone
    matter = proposal.matter
    if matter.status == "under_study":
        return _("研究中"), "ok"
    if matter.status == "resolved":
        return (_("已落实"), "ok") if matter.done_at else (_("已议决，落实中"), "ok")
    if matter.status == "deferred":
        return _("暂缓"), "warn"
    return _("已提交议事，等待研究"), "ok"
