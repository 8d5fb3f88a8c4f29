"""Residents' pages under /services/ (mobile first). Views stay thin: forms in, actions do the work."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.forms import DecimalField
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from alliance.core.errors import Conflict
from alliance.core.inputs import submit_form
from alliance.core.models import Notification
from alliance.core.querying import ChoiceField, IdField, QueryForm, SearchField, page_status, read_query
from alliance.core.ratelimit import ratelimit_view
from grids.models import GridNode
from grids.selectors import filter_nodes
from projects.models import Category
from services import actions, maps, selectors, selectors_board
from services.forms import (
    BookingForm,
    DateForm,
    FreeOrderForm,
    IssueForm,
    OrderForm,
    RateForm,
    SlotForm,
    WallMonthForm,
)
from services.map_views import map_config
from services.models import (
    Activity,
    ActivitySignup,
    Booking,
    IssuePhoto,
    MenuItem,
    OrderEvent,
    Room,
    ServiceStation,
)
from services.phases import ISSUE_PHASES, ORDER_PHASES, statuses_of, tab_choices

PAGE_SIZE = 20


class MenuQuery(QueryForm):
    category = IdField(label=_("类别"))
    community = IdField(label=_("社区"))
    q = SearchField(label=_("搜索"))


class StationsQuery(QueryForm):
    kind = ChoiceField(label=_("类型"), choices=ServiceStation.Kind.choices)
    # The browser's location, for "the stations nearest me" (static/services/nearest.js).
    lat = DecimalField(label=_("纬度"), required=False, min_value=-90, max_value=90, max_digits=12, decimal_places=8)
    lng = DecimalField(label=_("经度"), required=False, min_value=-180, max_value=180, max_digits=12, decimal_places=8)


class OrderTabQuery(QueryForm):
    tab = ChoiceField(label=_("状态"), choices=tab_choices(ORDER_PHASES))


class IssueTabQuery(QueryForm):
    tab = ChoiceField(label=_("状态"), choices=tab_choices(ISSUE_PHASES))


class ActivitiesQuery(QueryForm):
    kind = ChoiceField(label=_("类型"), choices=Activity.Kind.choices)
    past = ChoiceField(label=_("往期"), choices=[("1", _("含往期")), ("0", _("不含往期"))])


def run_action(request, func, success: str, **kwargs):
    """Call an action; on refusal, show its Chinese message. Returns the result or None."""
    try:
        result = func(by=request.user, **kwargs)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except (PermissionDenied, Conflict) as exc:
        messages.error(request, getattr(exc, "message", None) or str(exc) or gettext("无权进行此操作。"))
    else:
        if success:
            messages.success(request, success)
        return result
    return None


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def index(request):
    """The residents' hub: categories of the menu, upcoming activities, stations (4 queries)."""
    categories = Category.objects.filter(parent__isnull=True, is_active=True).annotate(
        items=Count("children__menu_items", filter=Q(children__menu_items__is_active=True), distinct=True)
        + Count("menu_items", filter=Q(menu_items__is_active=True), distinct=True)
    )
    activities = selectors.activities_with_counts().filter(
        status=Activity.Status.PUBLISHED, starts_at__gt=timezone.now()
    )[:4]
    stations = ServiceStation.objects.filter(is_active=True).select_related("grid_node").order_by("kind", "name")[:6]
    return render(
        request,
        "services/index.html",
        {"categories": categories, "activities": activities, "stations": stations},
    )


# --- menu and orders ---------------------------------------------------------------------------


def menu(request):
    """The service menu by category and community: categories, streets and communities, count, page (+1 for
    a community filter, +1 for the street's communities in a city). Everything is read lazily: the list is a
    cached fragment of the template, and a cached menu runs no query."""
    query = read_query(request, MenuQuery)
    category_id, node_id, q = query.value("category"), query.value("community"), query.value("q") or ""
    # A community named is looked up now (one query), so a community that does not exist answers 400.
    node = GridNode.objects.filter(pk=node_id).only("path").first() if node_id else None
    if node_id and node is None:
        query.add_error("community", gettext("网格不存在。"))
        node_id = None

    def items():
        qs = selectors.menu_items().order_by("category__sort_order", "category_id", "pk")
        if category_id:
            qs = qs.filter(Q(category_id=category_id) | Q(category__parent_id=category_id))
        if node is not None:  # items whose scope covers the node: the node itself and its ancestors
            parts = [p for p in node.path.strip("/").split("/") if p]
            qs = qs.filter(grid_scope__path__in=["/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)])
        if q:
            qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q))
        return _page(request, qs)

    context = {
        "page": SimpleLazyObject(items),
        "categories": Category.objects.filter(parent__isnull=True, is_active=True),
        "nodes": SimpleLazyObject(lambda: filter_nodes(node_id)),
        "q": q,
    }
    return render(request, "services/menu.html", context, status=page_status(request, query))


@ratelimit_view("order")
def menu_item(request, pk):
    item = get_object_or_404(selectors.menu_items(), pk=pk)
    form = OrderForm(request.POST or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        if form.is_valid():
            done = gettext("点单成功，请等待成员单位接单。")
            order = run_action(request, actions.submit_order, done, menu_item=item, **form.cleaned_data)
            if order:
                return redirect("services:order", pk=order.pk)
    return render(request, "services/menu_item.html", {"item": item, "form": form})


@login_required
@ratelimit_view("order")
def free_order(request):
    """Ask in free text when the menu has nothing that fits."""
    form = FreeOrderForm(request.POST or None, initial={"category": read_query(request, MenuQuery).value("category")})
    if request.method == "POST" and form.is_valid():
        order = run_action(
            request, actions.submit_order, gettext("已提交，范围内的成员单位可以接单。"), **form.cleaned_data
        )
        if order:
            return redirect("services:order", pk=order.pk)
    return render(request, "services/free_order.html", {"form": form})


def _my_list(request, template: str, queryset, phases, query_class):
    """A resident's own orders or issues, with a tab per phase in residents' words and its count.

    Queries: the counts of every tab (1), count + page of the tab (2).
    """
    query = read_query(request, query_class)
    tab = query.value("tab") or ""
    counts = selectors.phase_counts(queryset, phases)
    if tab:
        queryset = queryset.filter(status__in=statuses_of(phases, tab))
    tabs = [{"key": p.key, "label": p.label, "count": counts[p.key]} for p in phases]
    context = {"page": _page(request, queryset), "tabs": tabs, "tab": tab, "total": sum(counts.values())}
    return render(request, template, context, status=page_status(request, query))


@login_required
def my_orders(request):
    """My orders by phase: 待接单, 服务中, 待评价, 已办结 (3 queries after the session's)."""
    return _my_list(request, "services/my_orders.html", selectors.my_orders(request.user), ORDER_PHASES, OrderTabQuery)


def _case_page(request, name: str, case, events, *, owner_id, **extra):
    """The page of one order or issue (services/<name>.html): its timeline, the contact, the rating form."""
    context = {
        name: case,
        "events": events,
        "contact": selectors.contact_of(request.user, case),
        "rate_form": RateForm(),
        "is_owner": owner_id == request.user.pk,
        **extra,
    }
    return render(request, f"services/{name}.html", context)


def _rate(request, action, name: str, case):
    """The resident rates their order or issue (1–5 stars) and is back on its page (services:<name>)."""
    form = RateForm(request.POST)
    if form.is_valid():
        run_action(request, action, gettext("感谢您的评价！"), **{name: case}, **form.cleaned_data)
    else:
        messages.error(request, gettext("请选择 1–5 颗星。"))
    return redirect(f"services:{name}", pk=case.pk)


@login_required
def order_detail(request, pk):
    order = get_object_or_404(selectors.orders_for(request.user), pk=pk)
    events = list(selectors.order_timeline(order))
    response = _case_page(
        request, "order", order, events, owner_id=order.resident_id, declines=_declines(order, events)
    )
    return response


def _declines(order, events) -> list:
    """The units' reasons to decline, shown while the order waits for another unit."""
    if order.status != order.Status.SUBMITTED:
        return []
    return [e for e in events if e.kind == OrderEvent.Kind.DECLINED]


@login_required
def order_cancel(request, pk):
    """Cancelling asks first: GET shows what will be cancelled and a confirm button, POST cancels."""
    order = get_object_or_404(selectors.orders_for(request.user), pk=pk)
    if request.method == "POST":
        run_action(request, actions.cancel_order, gettext("点单已取消。"), order=order)
        return redirect("services:order", pk=pk)
    if order.resident_id != request.user.pk or order.status != order.Status.SUBMITTED:
        messages.error(request, gettext("该点单已被接单或已结束，不能取消。"))
        return redirect("services:order", pk=pk)
    return render(request, "services/order_cancel.html", {"order": order})


@login_required
@require_POST
def order_rate(request, pk):
    order = get_object_or_404(selectors.orders_for(request.user), pk=pk)
    return _rate(request, actions.rate_order, "order", order)


# --- issues ------------------------------------------------------------------------------------


@login_required
def my_issues(request):
    """My issues by phase: 已受理, 处理中, 待评价, 已办结 (3 queries after the session's)."""
    return _my_list(request, "services/my_issues.html", selectors.my_issues(request.user), ISSUE_PHASES, IssueTabQuery)


@login_required
@ratelimit_view("issue")
def issue_new(request):
    node = request.user.grid_node
    form = IssueForm(request.POST or None, request.FILES or None, street=node.street_id if node else None)
    similar = []
    if request.method == "POST" and form.is_valid() and form.cleaned_data.get("step") != "send":
        # 说事墙: similar open public issues nearby are offered first (“同样遇到”); "仍要提交" sends anyway.
        data = form.cleaned_data
        similar = selectors_board.similar_issues(
            title=data["title"],
            grid_node=data.get("grid_node") or node,
            lat=data.get("lat"),
            lng=data.get("lng"),
            exclude_reporter=request.user,
        )
    if similar:
        return _issue_form(request, form, node, similar)

    def report(data):
        return actions.report_issue(
            by=request.user,
            title=data["title"],
            text=data["text"],
            grid_node=data.get("grid_node"),
            location=data.get("location", ""),
            contact_phone=data.get("contact_phone", ""),
            photos=data.get("photos") or [],
            lat=data.get("lat"),
            lng=data.get("lng"),
            is_public=data.get("is_public", False),
        )

    done = gettext("已收到您反映的问题，网格员会尽快处理。")
    if issue := submit_form(request, form, report, done, aliases={"grid_node": "micro_grid"}):
        return redirect("services:issue", pk=issue.pk)
    return _issue_form(request, form, node, [])


def _issue_form(request, form, node, similar):
    # The map opens on the resident's own community (the street's grids are all drawn).
    focus = (node.parent_id if node.level == GridNode.Level.MICRO else node.pk) if node else None
    config = map_config(request, node=node.street_id if node else None, mode="picker", focus=focus)
    context = {"form": form, "map_config": config, "similar": similar}
    return render(request, "services/issue_new.html", context)


@login_required
def issue_detail(request, pk):
    issue = get_object_or_404(
        selectors.issues_for(request.user).prefetch_related(Prefetch("photos", IssuePhoto.objects.all())), pk=pk
    )
    return _case_page(request, "issue", issue, selectors.issue_timeline(issue), owner_id=issue.reporter_id)


@login_required
@require_POST
def issue_rate(request, pk):
    issue = get_object_or_404(selectors.issues_for(request.user), pk=pk)
    return _rate(request, actions.rate_issue, "issue", issue)


# --- stations, rooms, bookings -----------------------------------------------------------------


def stations(request):
    qs = ServiceStation.objects.filter(is_active=True).select_related("grid_node").order_by("kind", "name", "pk")
    query = read_query(request, StationsQuery)
    if query.value("kind"):
        qs = qs.filter(kind=query.value("kind"))
    context = {"page": _page(request, qs), "kinds": ServiceStation.Kind.choices, **_nearest(request, query)}
    return render(request, "services/stations.html", context, status=page_status(request, query))


def _nearest(request, query) -> dict:
    """The stations nearest the browser's location (?lat=&lng=), or else the centre of the person's own grid."""
    lat, lng = query.value("lat"), query.value("lng")
    place = "here"
    if lat is None or lng is None:
        node = request.user.grid_node if request.user.is_authenticated else None
        if node is None or node.center_lat is None or node.center_lng is None:
            return {"nearest": [], "nearest_from": ""}
        lat, lng, place = node.center_lat, node.center_lng, node.name
    rows = [(station, _distance(metres)) for station, metres in maps.nearest_stations(lat, lng)]
    return {"nearest": rows, "nearest_from": place}


def _distance(metres: int) -> str:
    if metres < 1000:
        return gettext("约%(m)s米") % {"m": metres}
    return gettext("约%(km)s公里") % {"km": f"{metres / 1000:.1f}"}


def station_detail(request, pk):
    """A station's page; its wall (公示: indexes, points, stars) is drawn by alliance.points' tag library
    (points sits above services), for the month read here."""
    month_form = read_query(request, WallMonthForm)
    station = get_object_or_404(
        ServiceStation.objects.select_related("grid_node").prefetch_related(
            Prefetch("rooms", Room.objects.filter(is_active=True)),
            Prefetch("menu_items", MenuItem.objects.filter(is_active=True).select_related("category")),
        ),
        pk=pk,
    )
    here = (
        (station.lat, station.lng)
        if station.lat is not None
        else (station.grid_node.center_lat, station.grid_node.center_lng)
    )
    config = None
    if here[0] is not None and here[1] is not None:
        radius = maps.service_circle_m()
        point = {"lat": float(here[0]), "lng": float(here[1]), "name": station.name}
        config = map_config(request, mode="station", station=point, radius=radius, node=station.grid_node_id)
    year, month = month_form.selected()
    context = {
        "station": station,
        "map_config": config,
        "occurrences": selectors.station_occurrences(station),
        "wall_year": year,
        "wall_month": month,
        "wall_months": [f"{y}-{m:02d}" for y, m in WallMonthForm.months()],
        "wall_selected": f"{year}-{month:02d}",
    }
    return render(request, "services/station.html", context, status=page_status(request, month_form))


def room_detail(request, pk):
    """A room's slots of one day; a free slot is booked with one tap (POST)."""
    room = get_object_or_404(Room.objects.select_related("station", "unit"), pk=pk, is_active=True)
    date_form = read_query(request, DateForm)
    day = date_form.day()
    form = BookingForm(request.POST or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        slot = SlotForm(request.POST)
        start = slot.cleaned_data["starts_at"] if slot.is_valid() else None
        if start is not None and form.is_valid():
            booking = run_action(
                request,
                actions.book_room,
                "",
                room=room,
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=1),
                purpose=form.cleaned_data["purpose"],
                attendees=form.cleaned_data["attendees"],
            )
            if booking:
                pending = booking.status == Booking.Status.PENDING
                messages.success(
                    request, gettext("已提交预约，等待空间管理方确认。") if pending else gettext("预约成功。")
                )
                return redirect("services:my_bookings")
        elif start is None:
            for error in slot.errors["starts_at"]:
                messages.error(request, error)
        day = timezone.localtime(start).date() if start else day
    days = [timezone.localdate() + datetime.timedelta(days=i) for i in range(7)]
    return render(
        request,
        "services/room.html",
        {"room": room, "day": day, "days": days, "slots": selectors.free_slots(room, day), "form": form},
        status=page_status(request, date_form) if request.method == "GET" else 200,
    )


@login_required
def my_bookings(request):
    bookings = selectors.bookings_for(request.user).filter(booked_by=request.user).order_by("-starts_at", "-pk")
    return render(request, "services/my_bookings.html", {"page": _page(request, bookings), "now": timezone.now()})


@login_required
@require_POST
def booking_cancel(request, pk):
    booking = get_object_or_404(selectors.bookings_for(request.user).select_related("room__grid_node"), pk=pk)
    run_action(request, actions.cancel_booking, gettext("预约已取消。"), booking=booking)
    return redirect("services:my_bookings")


# --- activities --------------------------------------------------------------------------------


def activities(request):
    qs = selectors.activities_with_counts().filter(status=Activity.Status.PUBLISHED).order_by("starts_at", "pk")
    query = read_query(request, ActivitiesQuery)
    if query.value("past") != "1":
        qs = qs.filter(ends_at__gt=timezone.now())
    if query.value("kind"):
        qs = qs.filter(kind=query.value("kind"))
    context = {"page": _page(request, qs), "kinds": Activity.Kind.choices}
    return render(request, "services/activities.html", context, status=page_status(request, query))


def activity_detail(request, pk):
    activity = get_object_or_404(selectors.activities_with_counts(), pk=pk)
    mine = None
    if request.user.is_authenticated:
        mine = ActivitySignup.objects.filter(activity=activity, user=request.user).first()
    return render(request, "services/activity.html", {"activity": activity, "mine": mine, "now": timezone.now()})


@login_required
@require_POST
def activity_signup(request, pk):
    activity = get_object_or_404(Activity, pk=pk)
    if request.POST.get("cancel"):
        run_action(request, actions.cancel_signup, gettext("已取消报名。"), activity=activity)
    else:
        run_action(request, actions.sign_up, gettext("报名成功！"), activity=activity)
    return redirect("services:activity", pk=pk)


# --- inbox -------------------------------------------------------------------------------------


@login_required
def inbox(request):
    """My notifications (2 queries); opening the page marks them read."""
    notes = Notification.objects.filter(recipient=request.user).order_by("-created_at", "-pk")
    page = _page(request, notes)
    unread = [n.pk for n in page if n.read_at is None]
    response = render(request, "services/inbox.html", {"page": page})
    if unread:
        Notification.objects.filter(pk__in=unread).update(read_at=timezone.now())
    return response
