"""Reads of residents' services that are more than a filter: offers, overlaps, inboxes, privacy."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet, Value
from django.urls import reverse
from django.utils import timezone

from alliance.core.privacy import mask_address, mask_phone
from alliance.core.scoping import node_in_scope, scope_queryset
from members.models import MemberUnit, User
from members.selectors import admins_at, grid_workers_at, unit_operators_of
from services.models import (
    Activity,
    ActivitySignup,
    Booking,
    Issue,
    IssueEvent,
    MenuItem,
    Order,
    OrderEvent,
    Room,
)
from services.phases import ISSUE_PHASES, ORDER_PHASES, Phase


@dataclass
class UnitOffer:
    """What a unit serves: the root categories of its active menu items and their grid scopes."""

    unit_id: int
    root_ids: set = field(default_factory=set)
    scope_paths: set = field(default_factory=set)

    def covers(self, category, node) -> bool:
        root = category.parent_id or category.pk
        return root in self.root_ids and any(node.path.startswith(p) for p in self.scope_paths)

    def q(self) -> Q:
        """Orders of those categories inside those scopes (Q() that matches nothing if none)."""
        if not self.root_ids or not self.scope_paths:
            return Q(pk__in=[])
        scope = reduce(or_, (Q(grid_node__path__startswith=p) for p in sorted(self.scope_paths)))
        return (Q(category_id__in=self.root_ids) | Q(category__parent_id__in=self.root_ids)) & scope


def unit_offer(unit) -> UnitOffer:
    """One query."""
    offer = UnitOffer(unit_id=unit.pk)
    rows = MenuItem.objects.filter(provider_unit=unit, is_active=True).values_list(
        "category_id", "category__parent_id", "grid_scope__path"
    )
    for category_id, parent_id, path in rows:
        offer.root_ids.add(parent_id or category_id)
        offer.scope_paths.add(path)
    return offer


def order_offered_to_unit(order: Order, unit, offer: UnitOffer | None = None) -> bool:
    """Whether ``unit`` may accept ``order``: its own item, or (free text / declined) its category in scope."""
    if order.declined_units.filter(pk=unit.pk).exists():
        return False
    if order.menu_item is not None and order.menu_item.provider_unit_id == unit.pk:
        return True
    if not order.offered_to_all:
        return False
    offer = offer or unit_offer(unit)
    return offer.covers(order.category, order.grid_node)


def orders_offered_to(unit, offer: UnitOffer | None = None) -> QuerySet:
    """Submitted orders the unit may accept, not yet declined by it."""
    offer = offer or unit_offer(unit)
    return (
        Order.objects.filter(status=Order.Status.SUBMITTED)
        .filter(Q(menu_item__provider_unit=unit) | (Q(offered_to_all=True) & offer.q()))
        .exclude(declined_units=unit)
    )


def units_offered(order: Order) -> list[int]:
    """Ids of the units an order is offered to now (for reminders)."""
    return units_offered_many([order])[order.pk]


def units_offered_many(orders: list[Order]) -> dict[int, list[int]]:
    """``units_offered`` of many orders at once (the reminder sweep's chunks), by order id: at most two queries.

    The orders need ``menu_item``, ``category`` and ``grid_node`` loaded (select_related)."""
    declined: dict[int, set[int]] = defaultdict(set)
    through = Order.declined_units.through
    for order_id, unit_id in through.objects.filter(order_id__in=[o.pk for o in orders]).values_list(
        "order_id", "memberunit_id"
    ):
        declined[order_id].add(unit_id)
    open_to_all = [o for o in orders if o.offered_to_all]
    # (root category, scope path) -> units: one query for every order offered to all the units of its category.
    providers: dict[tuple[int, str], set[int]] = defaultdict(set)
    if open_to_all:
        roots = {o.category.parent_id or o.category_id for o in open_to_all}
        paths = {p for o in open_to_all for p in _ancestor_paths(o.grid_node.path)}
        rows = MenuItem.objects.filter(
            Q(category_id__in=roots) | Q(category__parent_id__in=roots),
            is_active=True,
            provider_unit__isnull=False,
            provider_unit__status=MemberUnit.Status.ACTIVE,
            grid_scope__path__in=paths,
        ).values_list("category_id", "category__parent_id", "grid_scope__path", "provider_unit_id")
        for category_id, parent_id, path, unit_id in rows:
            providers[(parent_id or category_id, path)].add(unit_id)
    offered = {}
    for order in orders:
        ids = set()
        if order.menu_item is not None and order.menu_item.provider_unit_id:
            ids.add(order.menu_item.provider_unit_id)
        if order.offered_to_all:
            root = order.category.parent_id or order.category_id
            for path in _ancestor_paths(order.grid_node.path):
                ids |= providers.get((root, path), set())
        offered[order.pk] = sorted(ids - declined[order.pk])
    return offered


def community_confirmers(order: Order) -> QuerySet:
    """Who confirms an order's delivery: the grid workers and community admins over its grid node."""
    ids = order.grid_node.ancestor_ids
    nodes = ids[1:] if len(ids) > 1 else ids  # the community and the micro-grid, not the whole street
    return User.objects.filter(
        role__in=(User.Role.GRID_WORKER, User.Role.COMMUNITY_ADMIN), grid_node_id__in=nodes, is_active=True
    )


def escalation_recipients(issue: Issue) -> QuerySet:
    """Who hears of an issue raised to its new level: the admins of that level's grid node."""
    ids = issue.grid_node.ancestor_ids
    if issue.level == Issue.Level.COMMUNITY and len(ids) >= 2:
        return User.objects.filter(role=User.Role.COMMUNITY_ADMIN, grid_node_id=ids[1], is_active=True)
    return User.objects.filter(role=User.Role.STREET_ADMIN, grid_node_id=ids[0], is_active=True)


def community_id(node) -> int:
    """The community over a grid node (a street-level node: the street itself)."""
    ids = node.ancestor_ids
    return ids[1] if len(ids) > 1 else ids[0]


def order_dispatch(order: Order) -> list[tuple[list, str]]:
    """Who a new order is sent to (派单), each group with the page they handle it on.

    An item a unit provides: the unit's operators. A free-text order, or an item of a station: the
    community's staff (its admins in the admin, the grid workers of the community and the order's
    micro-grid in the workspace)."""
    unit_id = order.menu_item.provider_unit_id if order.menu_item is not None else None
    if unit_id:
        return [(list(unit_operators_of([unit_id])), reverse("services_ws:orders"))]
    community = community_id(order.grid_node)
    workers = [u for node_id in dict.fromkeys((community, order.grid_node_id)) for u in grid_workers_at(node_id)]
    return [
        (list(admins_at(community)), reverse("admin:services_order_change", args=[order.pk])),
        (workers, f"{reverse('services_ws:orders')}?status={Order.Status.SUBMITTED}"),
    ]


def reoffer_dispatch(order: Order, declined_by_unit_id: int | None) -> list:
    """Who a declined order is offered to next: the operators of the other units that may take it."""
    unit_ids = [pk for pk in units_offered(order) if pk != declined_by_unit_id]
    return list(unit_operators_of(unit_ids))


def issue_dispatch(issue: Issue) -> list:
    """Who a new issue is sent to (派单): the grid workers of its micro-grid; when it has none (or the issue is
    raised at the community), the community's grid workers, else the community's admins; at the street, its admins."""
    ids = issue.grid_node.ancestor_ids
    if len(ids) == 1:
        return list(admins_at(ids[0]))
    for node_id in ids[:0:-1]:  # the micro-grid (if any), then the community
        workers = list(grid_workers_at(node_id))
        if workers:
            return workers
    return list(admins_at(ids[1]))


def signed_up_people(activity: Activity) -> QuerySet:
    """The accounts signed up for an activity (not those who cancelled)."""
    return User.objects.filter(
        activity_signups__activity=activity, activity_signups__status=ActivitySignup.Status.SIGNED_UP
    )


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.strip("/").split("/") if p]
    return ["/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]


def orders_taken_on(menu_item: MenuItem, day: datetime.date) -> int:
    """Orders of an item that use a place on ``day`` (by wanted day, or by submission day)."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    end = start + datetime.timedelta(days=1)
    # Written as SQL: it runs under the item's lock on every order with a menu item, and the ORM's building and
    # compiling of the same count took 0.8 ms against 0.2 ms for the whole round trip (tests/services/test_orders.py
    # checks the rows it counts and that its plan takes the index order_item_day).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM services_order WHERE menu_item_id = %s AND status <> %s"
            " AND (wanted_on = %s OR (wanted_on IS NULL AND submitted_at >= %s AND submitted_at < %s))",
            [menu_item.pk, Order.Status.CANCELLED.value, day, start, end],
        )
        return cursor.fetchone()[0]


def overlapping_bookings(room: Room, starts_at, ends_at) -> QuerySet:
    return Booking.objects.filter(
        room=room, status=Booking.Status.CONFIRMED, starts_at__lt=ends_at, ends_at__gt=starts_at
    )


def free_slots(room: Room, day: datetime.date, *, hours: int = 1, now=None) -> list[dict]:
    """The room's slots of ``hours`` on ``day`` within opening hours, each marked free or taken (one query)."""
    now = now or timezone.now()
    tz = timezone.get_current_timezone()
    opens = datetime.datetime.combine(day, room.opens_at, tzinfo=tz)
    closes = datetime.datetime.combine(day, room.closes_at, tzinfo=tz)
    booked = list(
        Booking.objects.filter(
            room=room, status=Booking.Status.CONFIRMED, starts_at__lt=closes, ends_at__gt=opens
        ).values_list("starts_at", "ends_at")
    )
    slots = []
    start = opens
    step = datetime.timedelta(hours=hours)
    while start + step <= closes:
        end = start + step
        taken = any(s < end and e > start for s, e in booked)
        slots.append({"starts_at": start, "ends_at": end, "free": not taken and start >= now, "taken": taken})
        start = end
    return slots


# --- what each kind of user sees ------------------------------------------------------------


def menu_items() -> QuerySet:
    return MenuItem.objects.filter(is_active=True).select_related(
        "category", "category__parent", "provider_unit", "provider_station", "grid_scope"
    )


ORDER_RELATED = (
    "menu_item",
    "menu_item__provider_unit",
    "menu_item__provider_station",
    "category",
    "category__parent",
    "grid_node",
    "unit",
    "resident",
)


def order_base() -> QuerySet:
    return Order.objects.select_related(*ORDER_RELATED)


def as_order_rows(queryset: QuerySet) -> QuerySet:
    """Orders as a list of the API shows them (services.serializers.OrderSerializer): the five tables a row reads
    joined, the category's parent read after them (one query for the page). PostgreSQL's planning grows with
    every joined table: on the city, a page with all of ORDER_RELATED joined took 14 ms to plan and 1 ms to run;
    with these five, 5 ms to plan."""
    related = ("menu_item", "category", "grid_node", "unit", "resident")
    return queryset.select_related(None).select_related(*related).prefetch_related("category__parent")


def orders_for(user) -> QuerySet:
    """Orders one account may open: its own; the unit's offered and served ones; staff: their subtree."""
    base = order_base()
    if not user.is_authenticated:
        return base.none()
    if user.is_superuser or user.role in User.STAFF_ROLES:
        return scope_queryset(base, user) | base.filter(resident=user)
    if user.role == User.Role.UNIT_OPERATOR and user.unit_id:
        offered = orders_offered_to(user.unit).values("pk")
        return base.filter(Q(resident=user) | Q(unit_id=user.unit_id) | Q(pk__in=offered))
    return base.filter(resident=user)


def issues_for(user) -> QuerySet:
    base = Issue.objects.select_related("grid_node", "reporter", "handler")
    if not user.is_authenticated:
        return base.none()
    if user.is_superuser or user.role in User.STAFF_ROLES:
        return scope_queryset(base, user) | base.filter(reporter=user)
    return base.filter(reporter=user)


def bookings_for(user) -> QuerySet:
    """The bookings a user sees: their own; staff those of rooms in their subtree; a unit's operators those
    of the unit's rooms (which they confirm or decline)."""
    base = Booking.objects.select_related("room", "room__station", "room__unit", "room__grid_node", "booked_by")
    if not user.is_authenticated:
        return base.none()
    if user.is_superuser or user.role in User.STAFF_ROLES:
        return scope_queryset(base, user) | base.filter(booked_by=user)
    if user.role == User.Role.UNIT_OPERATOR and user.unit_id:
        return base.filter(Q(booked_by=user) | Q(room__unit_id=user.unit_id))
    return base.filter(booked_by=user)


def pending_bookings(user) -> QuerySet:
    """Bookings waiting for the user's decision (待确认), soonest first: staff those of rooms in their subtree, a
    unit's operators those of the unit's rooms (one query)."""
    base = Booking.objects.filter(status=Booking.Status.PENDING).select_related(
        "room", "room__station", "room__unit", "booked_by"
    )
    if not user.is_authenticated:
        return base.none()
    if user.is_superuser or user.role in User.STAFF_ROLES:
        qs = scope_queryset(base, user)
    elif user.role == User.Role.UNIT_OPERATOR and user.unit_id:
        qs = base.filter(room__unit_id=user.unit_id)
    else:
        qs = base.none()
    return qs.order_by("starts_at", "pk")


def order_timeline(order: Order):
    return OrderEvent.objects.filter(order=order).select_related("by", "unit")


def me_too_people(issue: Issue) -> QuerySet:
    """The people who said “同样遇到” on ``issue`` (one query)."""
    return User.objects.filter(issue_me_toos__issue=issue).order_by("pk")


def issue_timeline(issue: Issue):
    return IssueEvent.objects.filter(issue=issue).select_related("by")


def activities_with_counts() -> QuerySet:
    return Activity.objects.select_related("grid_node", "organiser_unit").annotate(
        signed_count=Count("signups", filter=Q(signups__status=ActivitySignup.Status.SIGNED_UP))
    )


def station_occurrences(station, *, now=None, limit: int = 8) -> QuerySet:
    """The next occurrences of the station's recurring services (常态化下沉服务), each with its rule and its
    sign-up count: one query."""
    return (
        activities_with_counts()
        .filter(
            recurring_service__station=station,
            status=Activity.Status.PUBLISHED,
            starts_at__gt=now or timezone.now(),
        )
        .select_related("recurring_service")
        .order_by("starts_at", "pk")[:limit]
    )


def activity_signups(activity: Activity) -> QuerySet:
    return activity.signups.select_related("user").order_by("signed_up_at", "id")


def handler_assessment(user) -> dict:
    """Issues a handler took, those evaluated, and those reopened for dissatisfaction (one query)."""
    return Issue.objects.filter(Q(handler=user) | Q(unsatisfied_handler=user)).aggregate(
        handled=Count("pk", filter=Q(handler=user)),
        evaluated=Count("pk", filter=Q(handler=user, status=Issue.Status.EVALUATED)),
        unsatisfied=Count("pk", filter=Q(unsatisfied_handler=user)),
    )


# --- a resident's own ---------------------------------------------------------------------------


def my_orders(user) -> QuerySet:
    """A resident's own orders, newest first, with only what a row shows (its title, unit, time and state):
    the full order_base() joins eight tables, and planning it cost more than running it."""
    return (
        Order.objects.filter(resident=user)
        .select_related("menu_item", "unit")
        .only("status", "text", "submitted_at", "menu_item__title", "unit__name")
        .order_by("-submitted_at", "-pk")
    )


def my_issues(user) -> QuerySet:
    """A resident's own issues, newest first, with only what a row shows."""
    return (
        Issue.objects.filter(reporter=user)
        .select_related("grid_node")
        .only("title", "status", "reported_at", "grid_node__name")
        .order_by("-reported_at", "-pk")
    )


def phase_counts(queryset: QuerySet, phases: tuple[Phase, ...]) -> dict[str, int]:
    """How many rows of ``queryset`` are in each phase, keyed by the phase's key (one query)."""
    counts = {p.key: Count("pk", filter=Q(status__in=p.statuses)) for p in phases}
    return queryset.order_by().aggregate(**counts)


def my_counts(user) -> dict[str, dict[str, int]]:
    """The badges of 我的: a resident's orders and issues per phase (one query: the two tables' counts by
    status, one UNION ALL)."""
    orders = Order.objects.filter(resident=user).values("status").annotate(n=Count("pk"), kind=Value("orders"))
    issues = Issue.objects.filter(reporter=user).values("status").annotate(n=Count("pk"), kind=Value("issues"))
    by_status: dict[tuple[str, str], int] = {
        (row["kind"], row["status"]): row["n"] for row in orders.order_by().union(issues.order_by(), all=True)
    }
    return {
        kind: {p.key: sum(by_status.get((kind, status), 0) for status in p.statuses) for p in phases}
        for kind, phases in (("orders", ORDER_PHASES), ("issues", ISSUE_PHASES))
    }


# --- privacy ----------------------------------------------------------------------------------


def can_see_contact(user, obj) -> bool:
    """A resident's phone and address: the resident, staff of that scope, and the unit serving them."""
    if not user or not user.is_authenticated:
        return False
    owner_id = getattr(obj, "resident_id", None) or getattr(obj, "reporter_id", None)
    if owner_id == user.pk or user.is_superuser:
        return True
    if user.role in User.STAFF_ROLES:
        return node_in_scope(obj.grid_node, user)
    if user.role == User.Role.UNIT_OPERATOR and user.unit_id:
        return getattr(obj, "unit_id", None) == user.unit_id
    return False


def contact_of(user, obj) -> dict:
    phone = obj.contact_phone
    address = getattr(obj, "address", "") or getattr(obj, "location", "")
    if can_see_contact(user, obj):
        return {"phone": phone, "address": address}
    return {"phone": mask_phone(phone), "address": mask_address(address)}


def signups_prefetch():
    return Prefetch("signups", queryset=ActivitySignup.objects.select_related("user"))


def activity_signups_qs() -> QuerySet:
    return ActivitySignup.objects.select_related("user").order_by("signed_up_at", "id")
