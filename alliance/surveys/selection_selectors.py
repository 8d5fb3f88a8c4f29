"""What the selection pages, the API, the feed and the export read: the selections a person sees, the candidates
with their counts, and the ranking."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from alliance.core.scoping import scope_queryset
from alliance.surveys.models import Candidate, Selection, Vote


def _ancestor_ids(node) -> list[int]:
    """The node and the nodes above it, from its materialised path of primary keys ("3/17/240/")."""
    return [int(part) for part in node.path.split("/") if part.isdigit()]


def area_q(node, path: str = "grid_node") -> Q:
    """Selections that concern ``node``: held at it or above it (a street's for its communities), or below it."""
    return Q(**{f"{path}_id__in": _ancestor_ids(node)}) | Q(**{f"{path}__path__startswith": node.path})


def public_selections(user) -> QuerySet:
    """Voting or published selections, of the person's area when they have one (all of them otherwise)."""
    queryset = Selection.objects.filter(status__in=Selection.PUBLIC).select_related("grid_node")
    node = getattr(user, "grid_node", None) if getattr(user, "is_authenticated", False) else None
    if node is not None:
        queryset = queryset.filter(area_q(node))
    return queryset.order_by("status", "-starts_at", "-pk")


def visible_selections(user) -> QuerySet:
    """Everything public, and for staff of the admin roles also the drafts and closed ones of their subtree."""
    public = Q(status__in=Selection.PUBLIC)
    if getattr(user, "is_authenticated", False) and (user.is_superuser or user.role in user.ADMIN_ROLES):
        own = scope_queryset(Selection.objects.all(), user).values("pk")
        return Selection.objects.filter(public | Q(pk__in=own)).select_related("grid_node")
    return Selection.objects.filter(public).select_related("grid_node")


def candidates_prefetch() -> Prefetch:
    return Prefetch("candidates", queryset=Candidate.objects.select_related("community").order_by("position", "pk"))


def own_vote(user, selection) -> Vote | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Vote.objects.filter(selection=selection, voter=user).select_related("candidate").first()


def own_votes(user, selections) -> dict[int, Vote]:
    """The person's votes in these selections, by selection id (one query)."""
    if not getattr(user, "is_authenticated", False):
        return {}
    votes = Vote.objects.filter(voter=user, selection__in=[s.pk for s in selections]).select_related("candidate")
    return {v.selection_id: v for v in votes}


@dataclass(frozen=True)
class Standing:
    """One candidate's place in the result."""

    candidate: Candidate
    votes: int
    share: float  # percent of all votes, one decimal
    rank: int  # 1 + how many have more votes (ties share a rank)
    winner: bool


def counted(selection) -> QuerySet:
    return (
        Candidate.objects.filter(selection=selection)
        .select_related("community")
        .annotate(vote_count=Count("votes"))
        .order_by("-vote_count", "position", "pk")
    )


def standings(selection) -> list[Standing]:
    """The ranking of a selection's candidates (one query): votes, share, rank, the winners within its places."""
    rows = list(counted(selection))
    total = sum(c.vote_count for c in rows)
    result = []
    for c in rows:
        rank = 1 + sum(1 for other in rows if other.vote_count > c.vote_count)
        share = round(100 * c.vote_count / total, 1) if total else 0.0
        result.append(Standing(c, c.vote_count, share, rank, rank <= selection.places and c.vote_count > 0))
    return result
