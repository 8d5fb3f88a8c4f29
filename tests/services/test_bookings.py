"""Room bookings never overlap, under any concurrency."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.utils import timezone

from alliance.core.errors import Conflict
from services import actions, selectors
from services.models import Booking
from tests.members.factories import ResidentFactory
from tests.services.factories import RoomFactory


def slot(days=2, hour=10, hours=1):
    day = timezone.localdate() + datetime.timedelta(days=days)
    start = datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())
    return start, start + datetime.timedelta(hours=hours)


@pytest.fixture
def room(community):
    return RoomFactory(station__grid_node=community)


def test_booking_a_free_slot_confirms_it(room, resident):
    start, end = slot()
    booking = actions.book_room(by=resident, room=room, starts_at=start, ends_at=end, purpose="楼组议事", attendees=12)
    assert booking.status == Booking.Status.CONFIRMED
    assert room.grid_node == room.station.grid_node


def test_overlapping_booking_answers_conflict(room, resident, community):
    start, end = slot(hours=2)
    actions.book_room(by=resident, room=room, starts_at=start, ends_at=end, purpose="议事")
    with pytest.raises(Conflict, match="该时段已被预约"):
        actions.book_room(
            by=ResidentFactory(grid_node=community),
            room=room,
            starts_at=start + datetime.timedelta(hours=1),
            ends_at=end + datetime.timedelta(hours=1),
            purpose="排练",
        )


def test_adjacent_bookings_do_not_overlap(room, resident):
    start, end = slot()
    actions.book_room(by=resident, room=room, starts_at=start, ends_at=end, purpose="议事")
    actions.book_room(by=resident, room=room, starts_at=end, ends_at=end + datetime.timedelta(hours=1), purpose="排练")
    assert Booking.objects.count() == 2


def test_cancelled_booking_frees_the_slot(room, resident):
    start, end = slot()
    first = actions.book_room(by=resident, room=room, starts_at=start, ends_at=end, purpose="议事")
    actions.cancel_booking(by=resident, booking=first)
    actions.book_room(by=resident, room=room, starts_at=start, ends_at=end, purpose="排练")
    assert [s["free"] for s in selectors.free_slots(room, start.date()) if s["starts_at"] == start] == [False]


def test_booking_rules(room, resident):
    start, end = slot()
    with pytest.raises(ValidationError):
        actions.book_room(by=resident, room=room, starts_at=end, ends_at=start, purpose="x")
    past = timezone.now() - datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        actions.book_room(
            by=resident, room=room, starts_at=past, ends_at=past + datetime.timedelta(hours=1), purpose="x"
        )
    early, _ = slot(hour=6)
    with pytest.raises(ValidationError, match="开放时间"):
        actions.book_room(
            by=resident, room=room, starts_at=early, ends_at=early + datetime.timedelta(hours=1), purpose="x"
        )
    with pytest.raises(ValidationError, match="最多容纳"):
        actions.book_room(by=resident, room=room, starts_at=start, ends_at=end, purpose="x", attendees=500)


def test_only_the_booker_or_staff_cancel(room, resident, community, community_admin):
    start, end = slot()
    booking = actions.book_room(by=resident, room=room, starts_at=start, ends_at=end, purpose="议事")
    with pytest.raises(PermissionDenied):
        actions.cancel_booking(by=ResidentFactory(grid_node=community), booking=booking)
    actions.cancel_booking(by=community_admin, booking=booking)
    with pytest.raises(ValidationError):
        actions.cancel_booking(by=resident, booking=booking)


def test_free_slots_mark_taken_hours(room, resident):
    start, end = slot(hour=14, hours=2)
    actions.book_room(by=resident, room=room, starts_at=start, ends_at=end, purpose="议事")
    slots = selectors.free_slots(room, start.date())
    taken = [s["starts_at"].hour for s in slots if s["taken"]]
    assert taken == [14, 15]


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_bookings_of_one_slot_confirm_exactly_one(community):
    # Given a room and 24 residents, each thread on its own database connection,
    assert connection.vendor == "postgresql", "this test is about the PostgreSQL exclusion constraint"
    room = RoomFactory(station__grid_node=community)
    people = [ResidentFactory(grid_node=community) for _ in range(24)]
    start, end = slot(hours=2)
    barrier = threading.Barrier(len(people))
    outcomes = []

    def book(person, offset):
        try:
            barrier.wait()
            # Overlapping but not identical ranges: only the constraint's && can catch them all.
            s = start + datetime.timedelta(minutes=offset)
            actions.book_room(
                by=person, room=room, starts_at=s, ends_at=s + datetime.timedelta(hours=1), purpose="议事"
            )
            outcomes.append("confirmed")
        except Conflict as exc:
            outcomes.append(exc.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(p, (i % 4) * 15)) for i, p in enumerate(people)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Then exactly one is confirmed, and everyone else heard the Chinese conflict message.
    assert outcomes.count("confirmed") == 1
    assert outcomes.count("该时段已被预约") == len(people) - 1
    assert Booking.objects.filter(room=room, status=Booking.Status.CONFIRMED).count() == 1


def test_database_refuses_an_overlap_even_past_the_action(community):
    from django.db import IntegrityError, transaction

    # Given a confirmed booking written straight to the table (no action, no Python check),
    room = RoomFactory(station__grid_node=community)
    who = ResidentFactory(grid_node=community)
    start, end = slot()
    Booking.objects.create(room=room, booked_by=who, starts_at=start, ends_at=end, purpose="a")
    # an overlapping confirmed one is refused by PostgreSQL's exclusion constraint,
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(room=room, booked_by=who, starts_at=start, ends_at=end, purpose="b")
    # while a cancelled one in the same slot is allowed.
    Booking.objects.create(room=room, booked_by=who, starts_at=start, ends_at=end, purpose="c", status="cancelled")
