"""Reads of member units and party members for the API and pages: scoped, fixed query counts."""

from django.db.models import Count, Prefetch, Q, QuerySet

from alliance.core.scoping import node_in_scope, scope_queryset, subtree_q
from members.models import MemberUnit, PartyMember, Skill


def is_staff_viewer(user) -> bool:
    """Street/community admins, grid workers and superusers: they see full contact data in their subtree."""
    return bool(user and user.is_authenticated and user.is_active and user.is_staff_role)


def visible_units(user) -> QuerySet[MemberUnit]:
    """Active units for everyone; staff also see suspended and withdrawn units inside their subtree."""
    public = Q(status=MemberUnit.Status.ACTIVE)
    qs = MemberUnit.objects.select_related("grid_node", "party_organization")
    if is_staff_viewer(user):
        if user.is_superuser:
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
