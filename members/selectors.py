"""Reads of member units and party members for the API and pages: scoped, fixed query counts."""

from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from alliance.core.scoping import node_in_scope, scope_queryset, sees_all, subtree_q
from grids.models import GridRole
from members.models import (
    MemberUnit,
    Pairing,
    PairingCommitment,
    PairingReview,
    PairingService,
    PartyMember,
    Skill,
    User,
)


def is_staff_viewer(user) -> bool:
    """Street/community admins, grid workers and superusers: they see full contact data in their subtree."""
    return bool(user and user.is_authenticated and user.is_active and user.is_staff_role)


def visible_units(user) -> QuerySet[MemberUnit]:
    """Active units for everyone; staff also see suspended and withdrawn units inside their subtree."""
    public = Q(status=MemberUnit.Status.ACTIVE)
    qs = MemberUnit.objects.select_related("grid_node", "party_organization")
    if is_staff_viewer(user):
        if sees_all(user):
            return qs
        if user.grid_node_id:
            return qs.filter(public | subtree_q("grid_node", user.grid_node))
    return qs.filter(public)


def unit_in_viewer_scope(unit: MemberUnit, user) -> bool:
    """Whether ``user`` may see the unit's full contact phone (no query once the nodes are loaded)."""
    if not is_staff_viewer(user):
        return False
    return node_in_scope(unit.grid_node, user)


def staff_party_members(user) -> QuerySet[PartyMember]:
    """Party members in the user's subtree with unit, community and skills: three queries per page."""
    qs = PartyMember.objects.select_related("unit", "community").prefetch_related(
        Prefetch("skills", queryset=Skill.objects.only("id", "name").order_by("name"))
    )
    return scope_queryset(qs, user)


def skill_counts(user) -> QuerySet[Skill]:
    """Skills with the number of active party members in the user's subtree who have them."""
    members = scope_queryset(PartyMember.objects.filter(is_active=True), user)
    return (
        Skill.objects.filter(members__in=members)
        .annotate(member_count=Count("members", filter=Q(members__in=members), distinct=True))
        .order_by("-member_count", "name")
    )


# --- who is dispatched work (派单) -------------------------------------------------------------


def grid_workers_at(node_id: int) -> QuerySet[User]:
    """The active grid workers of one grid node: accounts of that role posted there, and holders of a
    网格员 post of the node (grids.GridRole) that has an account."""
    posted = Q(grid_roles__node_id=node_id, grid_roles__post=GridRole.Post.GRID_WORKER)
    return (
        User.objects.filter(Q(role=User.Role.GRID_WORKER, grid_node_id=node_id) | posted, is_active=True)
        .distinct()
        .order_by("pk")
    )


def admins_at(node_id: int) -> QuerySet[User]:
    """The active street or community admins whose post is this grid node."""
    return User.objects.filter(role__in=User.ADMIN_ROLES, grid_node_id=node_id, is_active=True).order_by("pk")


def unit_operators_of(unit_ids) -> QuerySet[User]:
    """The active operators of the member units of ``unit_ids``."""
    return User.objects.filter(role=User.Role.UNIT_OPERATOR, unit_id__in=unit_ids, is_active=True).order_by("pk")


def resident_call(user, phone: str = "") -> str:
    """How a notice names a resident: their name, else the last four digits of the phone, never the whole number."""
    if user is not None and user.display_name:
        return user.display_name
    phone = phone or (user.phone if user is not None else "")
    digits = "".join(c for c in phone if c.isdigit())
    return _("尾号%(digits)s的居民") % {"digits": digits[-4:]} if len(digits) >= 4 else _("一位居民")


# --- pairings (结对共建) -------------------------------------------------------------------------


def _pairing_rows(qs: QuerySet[Pairing]) -> QuerySet[Pairing]:
    """With both sides and the community (1 query), commitments, services and reviews (3 queries)."""
    return qs.select_related("unit", "community", "partner_unit", "grid_node").prefetch_related(
        Prefetch("commitments", queryset=PairingCommitment.objects.order_by("side", "id")),
        Prefetch("deliveries", queryset=PairingService.objects.order_by("-served_on", "-id")),
        Prefetch("reviews", queryset=PairingReview.objects.order_by("-year")),
    )


def visible_pairings(user) -> QuerySet[Pairing]:
    """Active pairings for everyone; staff also see expired and terminated ones in their subtree, and a unit's
    operator its own."""
    public = Q(status=Pairing.Status.ACTIVE)
    qs = Pairing.objects.all()
    if is_staff_viewer(user):
        if sees_all(user):
            return qs
        if user.grid_node_id:
            return qs.filter(public | subtree_q("grid_node", user.grid_node))
    if getattr(user, "is_authenticated", False) and user.unit_id:
        return qs.filter(public | Q(unit_id=user.unit_id) | Q(partner_unit_id=user.unit_id))
    return qs.filter(public)


def pairing_list(user) -> QuerySet[Pairing]:
    """The pairings a viewer sees with what the list shows: 4 queries a page (rows, three prefetches)."""
    return _pairing_rows(visible_pairings(user)).order_by("-starts_on", "-id")


def pairings_of_unit(unit_id: int, user=None) -> QuerySet[Pairing]:
    """A unit's pairings on either side (active ones for the public)."""
    qs = visible_pairings(user) if user is not None else Pairing.objects.filter(status=Pairing.Status.ACTIVE)
    return _pairing_rows(qs.filter(Q(unit_id=unit_id) | Q(partner_unit_id=unit_id))).order_by("-starts_on", "-id")


def pairings_of_community(node_id: int) -> QuerySet[Pairing]:
    """A community's active pairings with both sides (1 query)."""
    return (
        Pairing.objects.filter(status=Pairing.Status.ACTIVE, grid_node_id=node_id)
        .select_related("unit", "community", "partner_unit")
        .order_by("-starts_on", "-id")
    )


def pairing_totals(pairing: Pairing) -> dict:
    """Services, people and hours delivered under a pairing (from its prefetched services: no query)."""
    services = list(pairing.deliveries.all())
    return {
        "count": len(services),
        "people": sum(s.people_served for s in services),
        "hours": sum((s.hours for s in services), Decimal(0)),
    }
