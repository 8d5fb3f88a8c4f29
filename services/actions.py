"""Writes and transitions of residents' services: orders, issues, bookings, activities.

Every action is keyword-only, takes the acting user as ``by`` and an optional ``now`` (so jobs and
tests can move the clock), checks role and state first, writes inside a transaction and records
who and when, in the object's own fields and in its timeline (OrderEvent / IssueEvent).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from alliance.core import events
from alliance.core.errors import Conflict
from alliance.core.notifications import notify, notify_many
from alliance.core.photos import MAX_PHOTOS, clean_photos
from alliance.core.validators import normalize_phone, validate_phone
from grids.models import GridNode
from members.models import User
from services import events as service_events
from services import selectors
from services.models import (
    Activity,
    ActivitySignup,
    Booking,
    Issue,
    IssueEvent,
    IssuePhoto,
    MenuItem,
    Order,
    OrderEvent,
    Room,
    ServiceSettings,
)


def _now(now):
    return now or timezone.now()


def is_staff_in_scope(user, node: GridNode) -> bool:
    """A street admin, community admin or grid worker whose subtree holds ``node``."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if user.role not in User.STAFF_ROLES or user.grid_node_id is None:
        return False
    return node.path.startswith(user.grid_node.path)


def _contact_phone(value: str, by) -> str:
    """The contact phone given (checked like every phone), or the account's own."""
    value = (value or "").strip()
    if not value:
        return by.phone or ""
    try:
        validate_phone(value)
    except ValidationError as exc:
        raise ValidationError({"contact_phone": exc.messages}) from exc
    return normalize_phone(value)


def _require_login(by):
    if by is None or not by.is_authenticated:
        raise PermissionDenied("请先登录。")


# ---------------------------------------------------------------------------
# Orders (点单): submitted → accepted → served (unit) → delivered (community confirms) → rated;
# cancelled; declined back to submitted.
# ---------------------------------------------------------------------------


def _order_event(order, kind, *, by=None, unit=None, note="", at):
    return OrderEvent.objects.create(order=order, kind=kind, by=by, unit=unit, note=note[:300], at=at)


@transaction.atomic
def submit_order(
    *,
    by,
    menu_item: MenuItem | None = None,
    category=None,
    text: str = "",
    contact_phone: str = "",
    address: str = "",
    wanted_on: datetime.date | None = None,
    now=None,
) -> Order:
    """A resident orders a menu item (居民点菜) or asks in free text within a category."""
    _require_login(by)
    now = _now(now)
    text = (text or "").strip()
    if by.grid_node_id is None:
        raise ValidationError({"grid_node": f"请先在个人资料页面({reverse('profile')})设置所在社区或微网格,再点单。"})
    if menu_item is None:
        if category is None:
            raise ValidationError({"category": "请选择服务类别。"})
        if not text:
            raise ValidationError({"text": "请说明您需要什么服务。"})
    else:
        # Lock the item so the per-day capacity holds when many residents order at once.
        menu_item = MenuItem.objects.select_for_update().select_related("grid_scope").get(pk=menu_item.pk)
        if not menu_item.is_active:
            raise ValidationError({"menu_item": "该服务已下架。"})
        if not by.grid_node.path.startswith(menu_item.grid_scope.path):
            raise ValidationError({"menu_item": "您所在的网格不在该服务的服务范围内。"})
        day = wanted_on or timezone.localdate(now)
        taken = selectors.orders_taken_on(menu_item, day)
        if taken >= menu_item.capacity_per_day:
            raise Conflict("该服务当日名额已满,请选择其他日期。")
        category = menu_item.category
    if wanted_on and wanted_on < timezone.localdate(now):
        raise ValidationError({"wanted_on": "期望日期不能早于今天。"})
    contact_phone = _contact_phone(contact_phone, by)
    order = Order.objects.create(
        resident=by,
        menu_item=menu_item,
        category=category,
        text=text,
        grid_node=by.grid_node,
        contact_phone=contact_phone,
        address=(address or by.address or "").strip(),
        wanted_on=wanted_on,
        offered_to_all=menu_item is None,
        submitted_at=now,
    )
    _order_event(order, OrderEvent.Kind.SUBMITTED, by=by, at=now)
    return order


@transaction.atomic
def cancel_order(*, by, order: Order, now=None) -> Order:
    """The resident cancels before any unit accepted."""
    now = _now(now)
    if by.pk != order.resident_id:
        raise PermissionDenied("只能取消自己的点单。")
    updated = Order.objects.filter(pk=order.pk, status=Order.Status.SUBMITTED).update(
        status=Order.Status.CANCELLED, cancelled_at=now
    )
    if updated != 1:
        raise ValidationError("该点单已被接单或已结束,不能取消。")
    _order_event(order, OrderEvent.Kind.CANCELLED, by=by, at=now)
    order.refresh_from_db()
    return order


def _require_offered(by, order: Order):
    """The unit offered the order, or (for a station's own menu item) the staff running that station."""
    station = order.menu_item.provider_station if order.menu_item_id else None
    if station is not None and not order.offered_to_all and is_staff_in_scope(by, station.grid_node):
        return
    if by.role != User.Role.UNIT_OPERATOR or not by.unit_id:
        raise PermissionDenied("只有提供该服务的成员单位或服务站工作人员可以接单。")
    if not selectors.order_offered_to_unit(order, by.unit):
        raise PermissionDenied("该点单不在本单位的服务范围内。")


def _provider_unit(by):
    return by.unit if by.role == User.Role.UNIT_OPERATOR and by.unit_id else None


@transaction.atomic
def accept_order(*, by, order: Order, now=None) -> Order:
    """A unit accepts (单位接单). A conditional UPDATE: of two units accepting at once, one wins."""
    now = _now(now)
    if order.status != Order.Status.SUBMITTED:
        if order.status == Order.Status.ACCEPTED:
            raise Conflict("该点单已被其他单位接单。")
        raise ValidationError("该点单当前状态不能接单。")
    _require_offered(by, order)
    unit = _provider_unit(by)
    updated = Order.objects.filter(pk=order.pk, status=Order.Status.SUBMITTED).update(
        status=Order.Status.ACCEPTED, unit=unit, accepted_by=by, accepted_at=now
    )
    if updated != 1:
        raise Conflict("该点单已被其他单位接单或已取消。")
    _order_event(order, OrderEvent.Kind.ACCEPTED, by=by, unit=unit, at=now)
    order.refresh_from_db()
    provider = unit.name if unit else order.menu_item.provider_name
    notify(
        recipient=order.resident,
        key=f"order:{order.pk}:accepted",
        title=f"您的点单“{order.title}”已被{provider}接单",
        url=f"/services/orders/{order.pk}/",
    )
    return order


@transaction.atomic
def decline_order(*, by, order: Order, reason: str = "", now=None) -> Order:
    """A unit declines: the order stays submitted and is offered to the other units of the category."""
    now = _now(now)
    if order.status != Order.Status.SUBMITTED:
        raise ValidationError("只有待接单的点单可以婉拒。")
    _require_offered(by, order)
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status != Order.Status.SUBMITTED:
        raise Conflict("该点单已被接单或已取消。")
    unit = _provider_unit(by)
    if unit is not None:
        order.declined_units.add(unit)
    order.offered_to_all = True
    order.save(update_fields=["offered_to_all"])
    _order_event(order, OrderEvent.Kind.DECLINED, by=by, unit=unit, note=reason.strip(), at=now)
    return order


def _require_server(by, order: Order):
    """The unit serving the order, or (a station's own item, accepted by its staff) staff in scope of the station."""
    if order.unit_id is not None:
        if by.role == User.Role.UNIT_OPERATOR and by.unit_id == order.unit_id:
            return
        raise PermissionDenied("只有接单单位可以标记已服务。")
    station = order.menu_item.provider_station if order.menu_item_id else None
    if station is not None and is_staff_in_scope(by, station.grid_node):
        return
    raise PermissionDenied("只有提供该服务的服务站工作人员可以标记已服务。")


def community_confirmers(order: Order):
    """Who confirms an order's delivery: the grid workers and community admins over its grid node."""
    ids = order.grid_node.ancestor_ids
    nodes = ids[1:] if len(ids) > 1 else ids  # the community and the micro-grid, not the whole street
    return User.objects.filter(
        role__in=(User.Role.GRID_WORKER, User.Role.COMMUNITY_ADMIN), grid_node_id__in=nodes, is_active=True
    )


@transaction.atomic
def serve_order(*, by, order: Order, note: str = "", now=None) -> Order:
    """The serving unit marks the order served (已服务，待社区确认); the community confirms delivery after."""
    _require_login(by)
    now = _now(now)
    _require_server(by, order)
    updated = Order.objects.filter(pk=order.pk, status=Order.Status.ACCEPTED).update(
        status=Order.Status.SERVED, served_by=by, served_at=now
    )
    if updated != 1:
        if Order.objects.filter(pk=order.pk, status=Order.Status.SERVED).exists():
            raise Conflict("该点单已标记为已服务，正等待社区确认送达。")
        raise ValidationError("只有已接单的点单可以标记已服务。")
    unit = _provider_unit(by)
    _order_event(order, OrderEvent.Kind.SERVED, by=by, unit=unit, note=(note or "").strip(), at=now)
    order.refresh_from_db()
    notify_many(
        recipients=community_confirmers(order),
        key=f"order:{order.pk}:served",
        title=f"居民点单“{order.title}”已服务，请确认送达",
        url="/workspace/services/orders/?status=served",
    )
    return order


@transaction.atomic
def confirm_delivery(*, by, order: Order, now=None) -> Order:
    """The community confirms delivery (社区送达): a grid worker or community staff in scope.

    From "served" (the unit marked it), or straight from "accepted" when the community saw the
    service done itself (a station's own service, or a unit that did not mark it). The serving
    unit's delivery points and the resident's request for a rating follow this confirmation.
    """
    _require_login(by)
    now = _now(now)
    if by.role == User.Role.UNIT_OPERATOR:
        raise PermissionDenied("送达须由社区网格员或社区工作人员确认，服务单位请标记「已服务」。")
    if not is_staff_in_scope(by, order.grid_node):
        raise PermissionDenied("只有该点单所在社区的网格员或工作人员可以确认送达。")
    updated = Order.objects.filter(pk=order.pk, status__in=(Order.Status.ACCEPTED, Order.Status.SERVED)).update(
        status=Order.Status.DELIVERED, delivered_by=by, delivered_at=now
    )
    if updated != 1:
        if Order.objects.filter(pk=order.pk, status__in=(Order.Status.DELIVERED, Order.Status.RATED)).exists():
            raise Conflict("该点单已确认送达。")
        raise ValidationError("只有已接单或已服务的点单可以确认送达。")
    _order_event(order, OrderEvent.Kind.DELIVERED, by=by, at=now)
    order.refresh_from_db()
    events.send_on_commit(service_events.order_delivered, sender=Order, instance=order, by=by)
    notify(
        recipient=order.resident,
        key=f"order:{order.pk}:delivered",
        title=f"您的点单“{order.title}”已送达，请评价",
        url=f"/services/orders/{order.pk}/",
    )
    return order


# The old name: "deliver" is the community's confirmation (社区送达), as in the spec's API.
deliver_order = confirm_delivery


@transaction.atomic
def rate_order(*, by, order: Order, rating, comment: str = "", now=None) -> Order:
    """The resident rates a delivered order, 1–5 (居民评价)."""
    now = _now(now)
    if by.pk != order.resident_id:
        raise PermissionDenied("只能评价自己的点单。")
    rating = _rating(rating)
    updated = Order.objects.filter(pk=order.pk, status=Order.Status.DELIVERED).update(
        status=Order.Status.RATED, rating=rating, comment=(comment or "").strip()[:300], rated_at=now
    )
    if updated != 1:
        raise ValidationError("服务送达后才能评价。")
    _order_event(order, OrderEvent.Kind.RATED, by=by, note=f"{rating}星 {comment or ''}".strip(), at=now)
    order.refresh_from_db()
    events.send_on_commit(service_events.order_rated, sender=Order, instance=order, by=by)
    return order


def _rating(value) -> int:
    try:
        value = int(value)
    except (TypeError, ValueError):
        raise ValidationError({"rating": "请给出1–5星的评分。"})
    if not 1 <= value <= 5:
        raise ValidationError({"rating": "评分须在1–5星之间。"})
    return value


# ---------------------------------------------------------------------------
# Issues (居民说事): discovered → consulting → handling → feedback → evaluated, with escalation.
# ---------------------------------------------------------------------------

LEVEL_OF_NODE = {GridNode.Level.MICRO: Issue.Level.MICRO, GridNode.Level.COMMUNITY: Issue.Level.COMMUNITY}


def _issue_event(issue, kind, *, by=None, text="", at):
    return IssueEvent.objects.create(
        issue=issue, kind=kind, status=issue.status, level=issue.level, by=by, text=text, at=at
    )


@transaction.atomic
def report_issue(
    *,
    by,
    title: str,
    text: str,
    grid_node: GridNode | None = None,
    channel: str = Issue.Channel.WEB,
    location: str = "",
    contact_phone: str = "",
    photos=(),
    now=None,
) -> Issue:
    """A resident reports a problem (居民说事), or a grid worker records one from the hotline, mailbox or a visit."""
    _require_login(by)
    now = _now(now)
    errors = {}
    title, text = (title or "").strip(), (text or "").strip()
    if not title:
        errors["title"] = ["请填写标题。"]
    if not text:
        errors["text"] = ["请描述问题。"]
    grid_node = grid_node or by.grid_node
    if grid_node is None:
        errors["grid_node"] = ["请选择问题所在的社区或微网格。"]
    if channel not in Issue.Channel.values:
        errors["channel"] = ["来源渠道无效。"]
    elif channel != Issue.Channel.WEB and grid_node is not None and not is_staff_in_scope(by, grid_node):
        errors["channel"] = ["热线、信箱和走访事项由网格工作人员登记。"]
    photos = list(photos or [])
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = [f"最多上传{MAX_PHOTOS}张照片。"]
    cleaned = []
    if not errors.get("photos"):
        max_bytes = ServiceSettings.load().photo_max_kb * 1024
        try:
            cleaned = clean_photos(photos, max_bytes=max_bytes)  # pixels counted for all together first
        except ValidationError as exc:
            errors.setdefault("photos", []).extend(exc.messages)
    try:
        contact_phone = _contact_phone(contact_phone, by)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    issue = Issue.objects.create(
        title=title[:100],
        text=text,
        channel=channel,
        reporter=by,
        recorded_by=by if channel != Issue.Channel.WEB else None,
        grid_node=grid_node,
        location=(location or "").strip()[:200],
        contact_phone=contact_phone,
        level=LEVEL_OF_NODE.get(grid_node.level, Issue.Level.STREET),
        step_started_at=now,
        reported_at=now,
    )
    for content in cleaned:
        IssuePhoto.objects.create(issue=issue, image=content)
    _issue_event(issue, IssueEvent.Kind.REPORTED, by=by, text=text[:300], at=now)
    return issue


def _require_issue_staff(by, issue):
    if not is_staff_in_scope(by, issue.grid_node):
        raise PermissionDenied("只有该网格的工作人员可以办理此事项。")


@transaction.atomic
def move_issue(*, by, issue: Issue, text: str = "", now=None) -> Issue:
    """Move an issue one step along the loop; the text (a reply template or own words) goes on the timeline."""
    now = _now(now)
    _require_issue_staff(by, issue)
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    target = issue.next_status
    if target is None:
        raise ValidationError("该事项已在反馈或评价环节,不能再推进。")
    text = (text or "").strip()
    if target == Issue.Status.FEEDBACK and not text:
        raise ValidationError({"text": "请填写反馈给居民的处理结果。"})
    issue.status = target
    issue.step_started_at = now
    fields = ["status", "step_started_at"]
    if target == Issue.Status.HANDLING or issue.handler_id is None:
        issue.handler = by
        fields.append("handler")
    issue.save(update_fields=fields)
    _issue_event(issue, IssueEvent.Kind.MOVED, by=by, text=text, at=now)
    if target == Issue.Status.FEEDBACK:
        notify(
            recipient=issue.reporter,
            key=f"issue:{issue.pk}:feedback:{int(issue.reopened)}",
            title=f"您反映的“{issue.title}”已有处理结果,请评价",
            body=text,
            url=f"/services/issues/{issue.pk}/",
        )
    return issue


def _escalation_recipients(issue: Issue):
    """Who hears of an issue raised to its new level: the admins of that level's grid node."""
    ids = issue.grid_node.ancestor_ids
    if issue.level == Issue.Level.COMMUNITY and len(ids) >= 2:
        return User.objects.filter(role=User.Role.COMMUNITY_ADMIN, grid_node_id=ids[1], is_active=True)
    return User.objects.filter(role=User.Role.STREET_ADMIN, grid_node_id=ids[0], is_active=True)


@transaction.atomic
def escalate_issue(*, by, issue: Issue, reason: str = "", now=None, automatic: bool = False) -> Issue:
    """Raise an issue one level up the grid: micro-grid → community → street → department."""
    now = _now(now)
    if not automatic:
        _require_issue_staff(by, issue)
    seen = issue
    issue = Issue.objects.select_for_update().select_related("grid_node").get(pk=issue.pk)
    if automatic and (issue.level, issue.step_started_at) != (seen.level, seen.step_started_at):
        # Two sweeps at once: the other one (or a person) already moved it.
        raise ValidationError("事项已变化。")
    if issue.status not in (Issue.Status.DISCOVERED, Issue.Status.CONSULTING, Issue.Status.HANDLING):
        raise ValidationError("只有发现、会商、处置环节的事项可以上报。")
    if issue.level >= Issue.Level.DEPARTMENT:
        raise ValidationError("该事项已上报至职能部门,不能再上报。")
    issue.level += 1
    issue.step_started_at = now
    issue.save(update_fields=["level", "step_started_at"])
    kind = IssueEvent.Kind.AUTO_ESCALATED if automatic else IssueEvent.Kind.ESCALATED
    label = Issue.Level(issue.level).label
    _issue_event(issue, kind, by=by, text=(reason or "").strip() or f"上报至{label}", at=now)
    notify_many(
        recipients=_escalation_recipients(issue),
        key=f"issue:{issue.pk}:escalate:{issue.level}",
        title=f"事项“{issue.title}”已上报至{label}办理",
        body=reason,
        url=f"/workspace/services/issues/{issue.pk}/",
    )
    return issue


@transaction.atomic
def rate_issue(*, by, issue: Issue, rating, comment: str = "", now=None) -> Issue:
    """The reporter rates the outcome. 1–2 stars reopen it to handling once and count against the handler."""
    now = _now(now)
    if by.pk != issue.reporter_id:
        raise PermissionDenied("只能评价自己反映的事项。")
    rating = _rating(rating)
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    if issue.status != Issue.Status.FEEDBACK:
        raise ValidationError("事项反馈处理结果后才能评价。")
    comment = (comment or "").strip()[:300]
    issue.rating, issue.rating_comment, issue.rated_at = rating, comment, now
    fields = ["rating", "rating_comment", "rated_at", "status", "step_started_at"]
    issue.step_started_at = now
    if rating <= 2 and not issue.reopened:
        issue.status = Issue.Status.HANDLING
        issue.reopened = True
        issue.unsatisfied_handler_id = issue.handler_id
        fields += ["reopened", "unsatisfied_handler"]
        issue.save(update_fields=fields)
        _issue_event(issue, IssueEvent.Kind.REOPENED, by=by, text=f"{rating}星 {comment}".strip(), at=now)
        if issue.handler_id:
            notify(
                recipient=issue.handler,
                key=f"issue:{issue.pk}:reopened",
                title=f"居民对“{issue.title}”不满意,事项已退回重办",
                body=comment,
                url=f"/workspace/services/issues/{issue.pk}/",
            )
        return issue
    issue.status = Issue.Status.EVALUATED
    issue.save(update_fields=fields)
    _issue_event(issue, IssueEvent.Kind.RATED, by=by, text=f"{rating}星 {comment}".strip(), at=now)
    return issue


@transaction.atomic
def raise_issue_as_matter(*, by, issue: Issue, title: str = "", now=None) -> Issue:
    """A big issue becomes a matter for the street joint committee (大事全网联动)."""
    from alliance.committee.actions import raise_matter
    from alliance.committee.models import Committee

    now = _now(now)
    _require_issue_staff(by, issue)
    issue = Issue.objects.select_for_update().select_related("grid_node").get(pk=issue.pk)
    if issue.matter_id:
        raise ValidationError("该事项已提交大工委。")
    if issue.status == Issue.Status.EVALUATED:
        raise ValidationError("已评价的事项不能再提交大工委。")
    committee = (
        Committee.objects.filter(kind=Committee.Kind.STREET_JOINT, grid_node_id=issue.grid_node.street_id)
        .order_by("pk")
        .first()
    )
    if committee is None:
        raise ValidationError("所在街道尚未设立大工委,无法提交议题。")
    matter = raise_matter(
        by=by, committee=committee, title=(title or "").strip() or issue.title, description=issue.text, source=issue
    )
    issue.matter = matter
    issue.save(update_fields=["matter"])
    _issue_event(issue, IssueEvent.Kind.MATTER, by=by, text=f"提交{committee.name}:{matter.title}", at=now)
    return issue


# ---------------------------------------------------------------------------
# Room bookings (共享空厅)
# ---------------------------------------------------------------------------


def book_room(*, by, room: Room, starts_at, ends_at, purpose: str, attendees: int = 1, now=None) -> Booking:
    """Book a room; an overlapping confirmed booking answers Conflict (409)."""
    _require_login(by)
    now = _now(now)
    errors = {}
    purpose = (purpose or "").strip()
    if not purpose:
        errors["purpose"] = ["请填写用途。"]
    if not room.is_active:
        errors["room"] = ["该空间暂停预约。"]
    if starts_at >= ends_at:
        errors["ends_at"] = ["结束时间必须晚于开始时间。"]
    elif starts_at < now:
        errors["starts_at"] = ["不能预约已经过去的时段。"]
    else:
        start_local, end_local = timezone.localtime(starts_at), timezone.localtime(ends_at)
        if (
            start_local.date() != end_local.date()
            or start_local.time() < room.opens_at
            or end_local.time() > room.closes_at
        ):
            errors["starts_at"] = [f"请在开放时间 {room.opens_at:%H:%M}–{room.closes_at:%H:%M} 内预约。"]
    try:
        attendees = int(attendees)
    except (TypeError, ValueError):
        attendees = 0
    if attendees < 1:
        errors["attendees"] = ["人数至少为1。"]
    elif attendees > room.capacity:
        errors["attendees"] = [f"该空间最多容纳{room.capacity}人。"]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            # Bookings of one room queue on its row: concurrent inserts checked only by the exclusion
            # constraint can deadlock each other on PostgreSQL, and SQLite has no such constraint.
            # The constraint stays the database's guarantee should anything bypass this lock.
            if connection.vendor == "postgresql":
                list(Room.objects.select_for_update().filter(pk=room.pk).values_list("pk", flat=True))
            else:
                Room.objects.select_for_update().filter(pk=room.pk).update(is_active=True)
            if selectors.overlapping_bookings(room, starts_at, ends_at).exists():
                raise Conflict("该时段已被预约")
            return Booking.objects.create(
                room=room,
                booked_by=by,
                starts_at=starts_at,
                ends_at=ends_at,
                purpose=purpose[:200],
                attendees=attendees,
            )
    except IntegrityError:
        # PostgreSQL's booking_no_overlap: another booking of the slot committed first.
        raise Conflict("该时段已被预约")


@transaction.atomic
def cancel_booking(*, by, booking: Booking, now=None) -> Booking:
    now = _now(now)
    if by.pk != booking.booked_by_id and not is_staff_in_scope(by, booking.room.grid_node):
        raise PermissionDenied("只能取消自己的预约。")
    if booking.starts_at <= now:
        raise ValidationError("已开始的预约不能取消。")
    updated = Booking.objects.filter(pk=booking.pk, status=Booking.Status.CONFIRMED).update(
        status=Booking.Status.CANCELLED, cancelled_at=now, cancelled_by=by
    )
    if updated != 1:
        raise ValidationError("该预约已取消。")
    booking.refresh_from_db()
    return booking


# ---------------------------------------------------------------------------
# Activities: sign-up with capacity, cancel, check-in.
# ---------------------------------------------------------------------------


@transaction.atomic
def sign_up(*, by, activity: Activity, now=None) -> ActivitySignup:
    _require_login(by)
    now = _now(now)
    # The row lock serialises sign-ups of one activity, so the capacity holds under concurrency.
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.status != Activity.Status.PUBLISHED:
        raise ValidationError("该活动已取消。")
    if activity.starts_at <= now:
        raise ValidationError("活动已开始,报名已截止。")
    signup = ActivitySignup.objects.filter(activity=activity, user=by).first()
    if signup and signup.status == ActivitySignup.Status.SIGNED_UP:
        raise ValidationError("您已报名该活动。")
    taken = ActivitySignup.objects.filter(activity=activity, status=ActivitySignup.Status.SIGNED_UP).count()
    if taken >= activity.capacity:
        raise Conflict("该活动名额已满。")
    if signup:
        signup.status, signup.signed_up_at, signup.cancelled_at = ActivitySignup.Status.SIGNED_UP, now, None
        signup.save(update_fields=["status", "signed_up_at", "cancelled_at"])
        return signup
    return ActivitySignup.objects.create(activity=activity, user=by, signed_up_at=now)


@transaction.atomic
def cancel_signup(*, by, activity: Activity, now=None) -> ActivitySignup:
    now = _now(now)
    signup = ActivitySignup.objects.filter(activity=activity, user=by, status=ActivitySignup.Status.SIGNED_UP).first()
    if signup is None:
        raise ValidationError("您没有报名该活动。")
    if activity.starts_at <= now:
        raise ValidationError("活动已开始,不能取消报名。")
    signup.status, signup.cancelled_at = ActivitySignup.Status.CANCELLED, now
    signup.save(update_fields=["status", "cancelled_at"])
    return signup


def can_check_in(user, activity: Activity) -> bool:
    """The organising unit's operator, or staff whose subtree holds the activity."""
    if user is None or not user.is_authenticated:
        return False
    organiser = user.role == User.Role.UNIT_OPERATOR and user.unit_id and user.unit_id == activity.organiser_unit_id
    return bool(organiser) or is_staff_in_scope(user, activity.grid_node)


def _require_check_in(by, activity: Activity) -> None:
    if not can_check_in(by, activity):
        raise PermissionDenied("只有活动所在网格的工作人员或主办单位可以签到。")


@transaction.atomic
def check_in(*, by, signup: ActivitySignup, now=None) -> ActivitySignup:
    """Staff in scope (or the organising unit) confirm a participant's check-in on the day."""
    now = _now(now)
    activity = signup.activity
    _require_check_in(by, activity)
    if signup.status != ActivitySignup.Status.SIGNED_UP:
        raise ValidationError("该报名已取消,不能签到。")
    if now < activity.starts_at - datetime.timedelta(hours=1) or now > activity.ends_at:
        raise ValidationError("只能在活动开始前1小时至活动结束之间签到。")
    updated = ActivitySignup.objects.filter(pk=signup.pk, checked_in_at__isnull=True).update(
        checked_in_at=now, checked_in_by=by
    )
    if updated != 1:
        raise ValidationError("已签到。")
    signup.refresh_from_db()
    events.send_on_commit(service_events.signup_checked_in, sender=ActivitySignup, instance=signup, by=by)
    return signup


def check_in_person(
    *, by, activity: Activity, signup_id: int | None = None, user_id: int | None = None, phone: str = "", now=None
) -> ActivitySignup:
    """Check a participant in by their sign-up, their account or their phone number (one of the three).

    Whoever may not check people in learns nothing about who signed up: the role is checked first.
    """
    from alliance.core.validators import normalize_phone

    _require_check_in(by, activity)
    signups = ActivitySignup.objects.filter(activity=activity).select_related("user")
    if signup_id is not None:
        found, field = list(signups.filter(pk=signup_id)), "signup"
    elif user_id is not None:
        found, field = list(signups.filter(user_id=user_id)), "user"
    elif (phone or "").strip():
        found, field = list(signups.filter(user__phone=normalize_phone(phone))[:2]), "phone"
    else:
        raise ValidationError("请给出报名记录、报名人或报名人的手机号码（三选一）。")
    if not found:
        raise ValidationError({field: ["未找到该活动的这条报名记录。"]})
    if len(found) > 1:
        raise ValidationError({"phone": ["该号码对应多位报名人，请按报名人签到。"]})
    signup = found[0]
    signup.activity = activity
    return check_in(by=by, signup=signup, now=now)


# ---------------------------------------------------------------------------
# Sweeps run by the beat schedule. Each selects by the rows' current state and sends through
# notify(), whose unique (recipient, key) makes a rerun or a retry send nothing twice.
# ---------------------------------------------------------------------------

# Rows per sweep batch: each order/issue costs ~4 queries, so 500 keep one run well under a minute.
SWEEP_BATCH = 500


def remind_unaccepted_orders(*, now=None) -> dict:
    """Orders nobody accepted in time: remind the units offered them, later escalate to the community admin."""
    from services.workdays import add_working_days

    now = _now(now)
    conf = ServiceSettings.load()
    first = min(conf.order_remind_days, conf.order_escalate_days)
    # Working days are never fewer than calendar days, so this prefilter never misses a due order.
    due = (
        Order.objects.filter(status=Order.Status.SUBMITTED, submitted_at__lte=now - datetime.timedelta(days=first))
        .select_related("menu_item", "category", "grid_node", "resident")
        .order_by("pk")
    )
    sent = {"reminded": 0, "escalated": 0}
    last_pk = 0
    while True:
        batch = list(due.filter(pk__gt=last_pk)[:SWEEP_BATCH])
        if not batch:
            return sent
        for order in batch:
            last_pk = order.pk
            with transaction.atomic():
                if add_working_days(order.submitted_at, conf.order_remind_days) <= now:
                    unit_ids = selectors.units_offered(order)
                    operators = User.objects.filter(role=User.Role.UNIT_OPERATOR, unit_id__in=unit_ids, is_active=True)
                    n = notify_many(
                        recipients=operators,
                        key=f"order:{order.pk}:remind",
                        title=f"居民点单“{order.title}”待接单,请尽快处理",
                        url="/workspace/services/orders/",
                    )
                    if n:
                        sent["reminded"] += n
                        _order_event(order, OrderEvent.Kind.REMINDED, note=f"提醒{len(unit_ids)}家单位", at=now)
                if add_working_days(order.submitted_at, conf.order_escalate_days) <= now:
                    ids = order.grid_node.ancestor_ids
                    admins = User.objects.filter(
                        role=User.Role.COMMUNITY_ADMIN, grid_node_id=ids[1] if len(ids) > 1 else ids[0], is_active=True
                    )
                    n = notify_many(
                        recipients=admins,
                        key=f"order:{order.pk}:escalate",
                        title=f"居民点单“{order.title}”超时无人接单,请社区协调",
                        url=f"/admin/services/order/{order.pk}/change/",
                    )
                    if n:
                        sent["escalated"] += n
                        _order_event(order, OrderEvent.Kind.ESCALATED, note="超时上报社区", at=now)


def remind_unconfirmed_deliveries(*, now=None) -> int:
    """Orders a unit marked served that the community has not confirmed in time: remind the grid's staff once.

    Same limit as an unaccepted order's reminder (``order_remind_days`` working days after serving).
    """
    from services.workdays import add_working_days

    now = _now(now)
    conf = ServiceSettings.load()
    due = (
        Order.objects.filter(
            status=Order.Status.SERVED, served_at__lte=now - datetime.timedelta(days=conf.order_remind_days)
        )
        .select_related("menu_item", "grid_node")
        .order_by("pk")
    )
    sent = 0
    for order in due.iterator(chunk_size=SWEEP_BATCH):
        if add_working_days(order.served_at, conf.order_remind_days) > now:
            continue
        with transaction.atomic():
            n = notify_many(
                recipients=community_confirmers(order),
                key=f"order:{order.pk}:confirm-remind",
                title=f"居民点单“{order.title}”已服务多日，请尽快确认送达",
                url="/workspace/services/orders/?status=served",
            )
            if n:
                sent += n
                _order_event(order, OrderEvent.Kind.REMINDED, note="提醒社区确认送达", at=now)
    return sent


def escalate_overdue_issues(*, now=None) -> int:
    """Issues left at a step longer than its limit go up one level (once per level: the step restarts)."""
    from services.workdays import add_working_days

    now = _now(now)
    conf = ServiceSettings.load()
    escalated = 0
    for status in (Issue.Status.DISCOVERED, Issue.Status.CONSULTING, Issue.Status.HANDLING):
        limit = conf.issue_limit(status)
        due = Issue.objects.filter(
            status=status,
            level__lt=Issue.Level.DEPARTMENT,
            step_started_at__lte=now - datetime.timedelta(days=limit),
        ).order_by("pk")
        for issue in due.iterator(chunk_size=SWEEP_BATCH):
            if add_working_days(issue.step_started_at, limit) > now:
                continue
            label = Issue.Status(status).label
            try:
                escalate_issue(
                    by=None,
                    issue=issue,
                    reason=f"{label}环节超过{limit}个工作日未办结,自动上报",
                    now=now,
                    automatic=True,
                )
            except ValidationError:
                continue  # moved on meanwhile
            escalated += 1
    return escalated


def remind_activities_day_before(*, now=None) -> int:
    """Tomorrow's activities: remind everyone signed up (once per activity and person)."""
    now = _now(now)
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(tomorrow, datetime.time.min, tzinfo=tz)
    sent = 0
    activities = Activity.objects.filter(
        status=Activity.Status.PUBLISHED, starts_at__gte=start, starts_at__lt=start + datetime.timedelta(days=1)
    )
    for activity in activities:
        people = User.objects.filter(
            activity_signups__activity=activity, activity_signups__status=ActivitySignup.Status.SIGNED_UP
        )
        sent += notify_many(
            recipients=people,
            key=f"activity:{activity.pk}:remind",
            title=f"明天{timezone.localtime(activity.starts_at):%H:%M}:{activity.title}",
            body=f"地点:{activity.place}",
            url=f"/services/activities/{activity.pk}/",
        )
    return sent


ACTIVITY_FIELDS = ("kind", "organiser", "organiser_unit", "place", "capacity", "points", "description")


@transaction.atomic
def create_activity(*, by, grid_node, title: str, starts_at, ends_at, now=None, **fields) -> Activity:
    """Staff of a grid publish an activity there (报名中); it lies ahead and ends after it starts."""
    now = _now(now)
    if grid_node is None or not is_staff_in_scope(by, grid_node):
        raise PermissionDenied("只有该网格的工作人员可以发布活动。")
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"create_activity() got unexpected fields {sorted(unknown)}")
    errors = {}
    if starts_at is None or starts_at <= now:
        errors["starts_at"] = ["活动开始时间须晚于现在。"]
    elif ends_at is None or ends_at <= starts_at:
        errors["ends_at"] = ["结束时间须晚于开始时间。"]
    if errors:
        raise ValidationError(errors)
    return Activity.objects.create(grid_node=grid_node, title=title, starts_at=starts_at, ends_at=ends_at, **fields)


@transaction.atomic
def cancel_activity(*, by, activity: Activity, reason: str, now=None) -> Activity:
    """Staff of the activity's grid cancel it; everyone signed up hears why."""
    activity = Activity.objects.select_for_update(of=("self",)).select_related("grid_node").get(pk=activity.pk)
    if not is_staff_in_scope(by, activity.grid_node):
        raise PermissionDenied("只有该网格的工作人员可以取消活动。")
    if activity.status == Activity.Status.CANCELLED:
        return activity
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写取消原因。"})
    activity.status = Activity.Status.CANCELLED
    activity.save(update_fields=["status"])
    people = User.objects.filter(
        activity_signups__activity=activity, activity_signups__status=ActivitySignup.Status.SIGNED_UP
    )
    notify_many(
        recipients=people,
        key=f"activity:{activity.pk}:cancelled",
        title=f"活动“{activity.title}”已取消",
        body=f"取消原因:{reason.strip()}",
        url=f"/services/activities/{activity.pk}/",
    )
    return activity


# ---------------------------------------------------------------------------
# The menu: a unit publishes and withdraws its own service items.
# ---------------------------------------------------------------------------

MENU_FIELDS = ("title", "category", "description", "grid_scope", "availability", "capacity_per_day", "is_active")


@transaction.atomic
def save_menu_item(*, by, item: MenuItem | None = None, **fields) -> MenuItem:
    """A unit operator publishes or edits one of the unit's menu items (服务菜单)."""
    if by.role != User.Role.UNIT_OPERATOR or not by.unit_id:
        raise PermissionDenied("只有成员单位联络员可以发布本单位的服务。")
    if item is not None and item.provider_unit_id != by.unit_id:
        raise PermissionDenied("只能修改本单位的服务。")
    unknown = set(fields) - set(MENU_FIELDS)
    if unknown:
        raise ValidationError(f"不支持的字段:{', '.join(sorted(unknown))}")
    errors = {}
    scope = fields.get("grid_scope") or (item.grid_scope if item else None)
    unit_node = by.unit.grid_node
    if scope is None:
        errors["grid_scope"] = ["请选择服务范围。"]
    elif scope.street_id != unit_node.street_id:
        errors["grid_scope"] = ["服务范围须在本单位所在街道之内。"]
    if "title" in fields and not (fields["title"] or "").strip():
        errors["title"] = ["请填写服务名称。"]
    if "capacity_per_day" in fields and (fields["capacity_per_day"] or 0) < 1:
        errors["capacity_per_day"] = ["每日名额至少为1。"]
    if errors:
        raise ValidationError(errors)
    if item is None:
        item = MenuItem(provider_unit=by.unit)
    for name, value in fields.items():
        setattr(item, name, value.strip() if isinstance(value, str) else value)
    item.full_clean()
    item.save()
    return item
