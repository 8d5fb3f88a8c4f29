"""Reads of the three lists: who sees what, and the list querysets of pages and the API."""

from django.db.models import DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from alliance.core.scoping import scope_queryset
from members.selectors import admins_at
from projects.models import Category, Claim, Expenditure, Match, Need, Pledge, Project, Resource, Wish

PUBLIC_PROJECT_STATUSES = [s for s in Project.Status.values if s != Project.Status.DRAFT]
PUBLIC_WISH_STATUSES = [Wish.Status.PUBLISHED, Wish.Status.CLAIMED, Wish.Status.FULFILLED, Wish.Status.THANKED]


def _is_staff(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role in user.STAFF_ROLES)


def _money_sum(model, field="amount"):
    sums = model.objects.filter(project=OuterRef("pk")).order_by().values("project").annotate(s=Sum(field)).values("s")
    return Coalesce(Subquery(sums), Value(0), output_field=DecimalField(max_digits=14, decimal_places=2))


def with_totals(qs: QuerySet) -> QuerySet:
    """Projects with their pledged and spent totals, as subqueries (no extra query per row)."""
    return qs.annotate(pledged=_money_sum(Pledge), spent=_money_sum(Expenditure))


def visible_resources(user) -> QuerySet:
    qs = Resource.objects.select_related("category__parent", "unit", "grid_node")
    if _is_staff(user):
        return scope_queryset(qs, user) | qs.exclude(status=Resource.Status.RETIRED)
    if user.is_authenticated and user.unit_id:
        return qs.filter(Q(unit_id=user.unit_id) | ~Q(status=Resource.Status.RETIRED))
    return qs.exclude(status=Resource.Status.RETIRED)


def reviewed_needs() -> QuerySet:
    """The needs anyone may see and count: all but a unit's need before staff approve it."""
    return Need.objects.exclude(status__in=Need.UNREVIEWED_STATUSES)


def visible_needs(user) -> QuerySet:
    """One need's page: reviewed needs; staff also see their subtree's unreviewed ones, a unit's operator its
    unit's own."""
    qs = Need.objects.select_related("category__parent", "grid_node", "posted_by_unit")
    public = ~Q(status__in=Need.UNREVIEWED_STATUSES)
    if _is_staff(user):
        return qs.filter(public | Q(pk__in=scope_queryset(Need.objects.all(), user)))
    if user.is_authenticated and user.unit_id and user.role == user.Role.UNIT_OPERATOR:
        return qs.filter(public | Q(posted_by_unit_id=user.unit_id))
    return qs.filter(public)


def listed_needs(user=None) -> QuerySet:
    """The rows of the public list and the API's list, alike for every viewer: reviewed needs only (a unit's
    own wait in its workspace, staff review them in the admin)."""
    return Need.objects.select_related("category__parent", "grid_node").exclude(status__in=Need.UNREVIEWED_STATUSES)


def projects_seen_by(user) -> QuerySet:
    """The projects ``user`` may see, as bare rows."""
    qs = Project.objects.all()
    if _is_staff(user):
        return qs.filter(Q(status__in=PUBLIC_PROJECT_STATUSES) | Q(pk__in=scope_queryset(Project.objects.all(), user)))
    return qs.filter(status__in=PUBLIC_PROJECT_STATUSES)


def project_seen_by(user, project: Project) -> bool:
    """Whether ``user`` may see ``project``, as ``projects_seen_by`` tells: one past its draft, as everyone may,
    without a query (a claim asks it of every project it locks)."""
    if project.status in PUBLIC_PROJECT_STATUSES:
        return True
    return projects_seen_by(user).filter(pk=project.pk).exists()


def visible_projects(user) -> QuerySet:
    """The projects ``user`` may see, with their category, grid node and money totals (lists, pages, answers)."""
    return with_totals(projects_seen_by(user).select_related("category__parent", "grid_node"))


def visible_claims(user) -> QuerySet:
    """Staff: their subtree's; an operator: the unit's; a party member or resident: their own."""
    qs = Claim.objects.select_related("project__grid_node", "unit", "person")
    if not user.is_authenticated:
        return qs.none()
    if _is_staff(user):
        return scope_queryset(qs, user)
    if user.role == user.Role.UNIT_OPERATOR:
        return qs.filter(unit_id=user.unit_id) if user.unit_id else qs.none()
    return qs.filter(person_id=user.pk)


def my_claims(user) -> QuerySet:
    """A person's own claims, newest first (one query with the project and its grid node)."""
    return Claim.objects.filter(person_id=user.pk).select_related("project__grid_node").order_by("-claimed_at", "-id")


def visible_pledges(user) -> QuerySet:
    return Pledge.objects.select_related("project", "unit").filter(project__status__in=PUBLIC_PROJECT_STATUSES)


def visible_matches(user) -> QuerySet:
    qs = Match.objects.select_related("need__grid_node", "resource__unit", "unit", "member")
    if not user.is_authenticated:
        return qs.none()
    if _is_staff(user):
        return scope_queryset(qs, user)
    if user.unit_id:
        return qs.filter(Q(unit_id=user.unit_id) | Q(resource__unit_id=user.unit_id))
    return qs.none()


def visible_wishes(user) -> QuerySet:
    qs = Wish.objects.select_related("grid_node", "claimant_member", "claimant_unit", "resident")
    public = Q(status__in=PUBLIC_WISH_STATUSES)
    if _is_staff(user):
        return qs.filter(public | Q(pk__in=scope_queryset(Wish.objects.all(), user)))
    if user.is_authenticated:
        return qs.filter(public | Q(resident=user))
    return qs.filter(public)


def categories() -> QuerySet:
    return Category.objects.filter(is_active=True).select_related("parent").order_by("parent__sort_order", "sort_order")


def list_figures() -> dict:
    """Counts for the lists' landing page; wishes count as needs (SPEC: 微心愿 are needs in statistics)."""
    needs = reviewed_needs().count()
    wishes = Wish.objects.filter(status__in=PUBLIC_WISH_STATUSES).count()
    return {
        "resources": Resource.objects.exclude(status=Resource.Status.RETIRED).count(),
        "needs": needs + wishes,
        "projects": Project.objects.filter(status__in=PUBLIC_PROJECT_STATUSES).count(),
        "claims": Claim.objects.exclude(status=Claim.Status.REJECTED).count(),
    }


def need_count_for_statistics(qs_needs=None, qs_wishes=None) -> int:
    """The number statistics report as "needs": needs plus residents' published micro-wishes."""
    needs = (qs_needs if qs_needs is not None else Need.objects.all()).exclude(status__in=Need.UNREVIEWED_STATUSES)
    needs = needs.count()
    wishes = (qs_wishes if qs_wishes is not None else Wish.objects.all()).filter(status__in=PUBLIC_WISH_STATUSES)
    return needs + wishes.count()


def claim_approvers(claim: Claim) -> list:
    """Who approves a claim (派单): the admins of the project's community, else of its street."""
    return _admins_over(claim.project.grid_node)


def need_reviewers(need: Need) -> list:
    """Who reviews a unit's need (派单): the admins of its community, else of its street."""
    return _admins_over(need.grid_node)


def _admins_over(node) -> list:
    ids = node.ancestor_ids
    for node_id in ids[:2][::-1]:  # the community (if the project is at or under one), then the street
        admins = list(admins_at(node_id))
        if admins:
            return admins
    return []
