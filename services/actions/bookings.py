"""Room bookings (共享空厅): a booking never overlaps another of the same room."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from alliance.core.errors import Conflict
from alliance.core.transitions import Step
from services import selectors
from services.actions._common import _now, _require_login, is_staff_in_scope
from services.models import Booking, Room

CANCEL = Step(Booking.Status.CANCELLED, (Booking.Status.CONFIRMED,), "该预约已取消。", stamp="cancelled")


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


def cancel_booking(*, by, booking: Booking, now=None) -> Booking:
    now = _now(now)
    if by.pk != booking.booked_by_id and not is_staff_in_scope(by, booking.room.grid_node):
        raise PermissionDenied("只能取消自己的预约。")
    if booking.starts_at <= now:
        raise ValidationError("已开始的预约不能取消。")
    return CANCEL.run(booking, by=by, now=now)
