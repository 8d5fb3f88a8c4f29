"""Room bookings (共享空厅): a confirmed booking never overlaps another confirmed booking of the same room.

A room that needs approval (``Room.needs_approval``) takes bookings as pending (待确认); its owners (staff of
its subtree, the unit's operators for a unit's room) confirm one, checked against the confirmed bookings
under the same room lock as a new booking (and the same exclusion constraint), or decline it with a reason."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.core.api_atomic import action_atomic
from alliance.core.errors import Conflict
from alliance.core.transitions import Step, locked_row
from services import events, selectors
from services.actions._common import _now, _require_login, is_staff_in_scope
from services.models import Booking, Room

B = Booking.Status
# fmt: off
CANCEL = Step(B.CANCELLED, (B.CONFIRMED, B.PENDING), lambda b: _("该预约%(status)s，不能取消。") % {"status": b.get_status_display()},
              stamp="cancelled")
CONFIRM = Step(B.CONFIRMED, (B.PENDING,), lambda b: _("该预约%(status)s，不能确认。") % {"status": b.get_status_display()},
               conflict={B.CANCELLED: gettext_lazy("预约人已取消该预约。")}, stamp="confirmed", event=events.booking_confirmed)
DECLINE = Step(B.DECLINED, (B.PENDING,), lambda b: _("该预约%(status)s，不能退回。") % {"status": b.get_status_display()},
               conflict={B.CANCELLED: gettext_lazy("预约人已取消该预约。")}, stamp="declined", event=events.booking_declined)
# fmt: on
TAKEN = gettext_lazy("该时段已被预约")


def _lock_room(room: Room) -> Room:
    """The room's row read afresh under its lock: bookings of one room queue on it (concurrent inserts checked only
    by the exclusion constraint can deadlock each other on PostgreSQL, and SQLite has no such constraint). The
    constraint stays the database's guarantee should anything bypass this lock. A room that is gone is a field
    error (the API names it by id only)."""
    if connection.vendor != "postgresql":  # SQLite: the write lock, taken at once
        Room.objects.filter(pk=room.pk).update(is_active=F("is_active"))
    locked = locked_row(Room, room.pk)
    if locked is None:
        raise ValidationError({"room": [_("没有这个空间，请从列表中选择。")]})
    return locked


def can_decide(user, room: Room) -> bool:
    """The room's owners: staff of its subtree, and the operators of the unit it belongs to."""
    if user is None or not user.is_authenticated:
        return False
    if room.unit_id and user.role == user.Role.UNIT_OPERATOR and user.unit_id == room.unit_id:
        return True
    return is_staff_in_scope(user, room.grid_node)


def book_room(*, by, room: Room, starts_at, ends_at, purpose: str, attendees: int = 1, now=None) -> Booking:
    """Book a room; an overlapping confirmed booking answers Conflict (409). The booking of a room that needs
    approval is pending until its owners confirm it."""
    _require_login(by)
    now = _now(now)
    purpose = (purpose or "").strip()
    try:
        with action_atomic():  # no SAVEPOINT in an API request: its 409 rolls the whole request back
            # The room is read once, under its lock (the API hands on a bare reference by id): its opening
            # hours, capacity and approval are checked as they are now.
            room = _lock_room(room)
            attendees = _check_booking(room, starts_at, ends_at, purpose, attendees, now)
            # A slot already confirmed for someone else is refused at once, pending or not.
            if selectors.overlapping_bookings(room, starts_at, ends_at).exists():
                raise Conflict(TAKEN)
            return Booking.objects.create(
                room=room,
                booked_by=by,
                starts_at=starts_at,
                ends_at=ends_at,
                purpose=purpose[:200],
                attendees=attendees,
                status=B.PENDING if room.needs_approval else B.CONFIRMED,
            )
    except IntegrityError:
        # PostgreSQL's booking_no_overlap: another booking of the slot committed first.
        raise Conflict(TAKEN)


def _check_booking(room: Room, starts_at, ends_at, purpose: str, attendees, now) -> int:
    """The booking's fields checked against the room; every error at once, by field. Returns the attendees."""
    errors = {}
    if not purpose:
        errors["purpose"] = [_("请填写用途。")]
    if not room.is_active:
        errors["room"] = [_("该空间暂停预约。")]
    if starts_at >= ends_at:
        errors["ends_at"] = [_("结束时间必须晚于开始时间。")]
    elif starts_at < now:
        errors["starts_at"] = [_("不能预约已经过去的时段。")]
    else:
        start_local, end_local = timezone.localtime(starts_at), timezone.localtime(ends_at)
        if (
            start_local.date() != end_local.date()
            or start_local.time() < room.opens_at
            or end_local.time() > room.closes_at
        ):
            errors["starts_at"] = [
                _("请在开放时间 %(opens)s–%(closes)s 内预约。")
                % {"opens": f"{room.opens_at:%H:%M}", "closes": f"{room.closes_at:%H:%M}"}
            ]
    try:
        attendees = int(attendees)
    except (TypeError, ValueError):
        attendees = 0
    if attendees < 1:
        errors["attendees"] = [_("人数至少为1。")]
    elif attendees > room.capacity:
        errors["attendees"] = [_("该空间最多容纳%(n)s人。") % {"n": room.capacity}]
    if errors:
        raise ValidationError(errors)
    return attendees


def _require_decider(by, booking: Booking) -> None:
    _require_login(by)
    if not can_decide(by, booking.room):
        raise PermissionDenied(_("只有空间所属社区、单位的工作人员才能确认或退回预约。"))


def confirm_booking(*, by, booking: Booking, now=None) -> Booking:
    """pending → confirmed, by the room's owners; a slot another confirmed booking holds answers Conflict (409)
    and the booking stays pending (to be declined). The resident hears the decision."""
    _require_decider(by, booking)
    now = _now(now)
    CONFIRM.check(booking)  # the state first, on the row as read; checked again on the locked row
    if booking.starts_at <= now:
        raise ValidationError(_("预约时段已开始，不能再确认，请退回。"))
    try:
        with transaction.atomic():
            _lock_room(booking.room)  # the lock a new booking takes: confirmations and bookings queue alike
            taken = selectors.overlapping_bookings(booking.room, booking.starts_at, booking.ends_at)
            if taken.exclude(pk=booking.pk).exists():
                raise Conflict(_("该时段已被预约，不能确认，请退回。"))
            return CONFIRM.run(booking, by=by, now=now)
    except IntegrityError:
        # booking_no_overlap: a confirmed booking of the slot committed first.
        raise Conflict(_("该时段已被预约，不能确认，请退回。"))


def decline_booking(*, by, booking: Booking, reason: str, now=None) -> Booking:
    """pending → declined, with the reason the resident is told."""
    _require_decider(by, booking)
    DECLINE.check(booking)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写退回原因。")})
    return DECLINE.run(booking, by=by, now=_now(now), fields={"decline_reason": reason[:200]})


def cancel_booking(*, by, booking: Booking, now=None) -> Booking:
    now = _now(now)
    if by.pk != booking.booked_by_id and not is_staff_in_scope(by, booking.room.grid_node):
        raise PermissionDenied(_("只能取消自己的预约。"))
    if booking.starts_at <= now:
        raise ValidationError(_("已开始的预约不能取消。"))
    return CANCEL.run(booking, by=by, now=now)
