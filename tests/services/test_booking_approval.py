"""Bookings to confirm (待确认): a room that needs approval takes bookings as pending; its owners confirm one
(never two overlapping, under any concurrency) or decline it with a reason, and the resident hears the decision."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from alliance.core.errors import Conflict
from alliance.core.models import Notification
from services import actions, selectors
from services.models import Booking
from tests.members.factories import MemberUnitFactory, ResidentFactory, UserFactory
from tests.services.factories import RoomFactory


def slot(days=2, hour=10, hours=1, minutes=0):
    day = timezone.localdate() + datetime.timedelta(days=days)
    start = datetime.datetime.combine(day, datetime.time(hour, minutes), tzinfo=timezone.get_current_timezone())
    return start, start + datetime.timedelta(hours=hours)


@pytest.fixture
def room(community):
    return RoomFactory(station__grid_node=community, needs_approval=True, name="议事厅")


def book(room, who, **kw):
    start, end = slot(**kw)
    return actions.book_room(by=who, room=room, starts_at=start, ends_at=end, purpose="楼道议事会")


def test_a_room_without_approval_still_confirms_at_once(community, resident):
    plain = RoomFactory(station__grid_node=community)
    assert book(plain, resident).status == Booking.Status.CONFIRMED


def test_pending_bookings_of_one_slot_coexist_and_only_one_is_confirmed(room, resident, community, community_admin):
    # Given two residents asking for overlapping slots of a room that needs approval
    other = ResidentFactory(grid_node=community)
    first, second = book(room, resident), book(room, other, minutes=30)
    assert (first.status, second.status) == ("pending", "pending")
    assert first.get_status_display() == "待确认"
    # When the community admin confirms the first
    actions.confirm_booking(by=community_admin, booking=first)
    first.refresh_from_db()
    assert first.status == "confirmed" and first.confirmed_by == community_admin and first.confirmed_at
    # Then the second cannot be confirmed (the slot is taken) and stays pending, to be declined with a reason
    with pytest.raises(Conflict):
        actions.confirm_booking(by=community_admin, booking=second)
    second.refresh_from_db()
    assert second.status == "pending"
    with pytest.raises(ValidationError):
        actions.decline_booking(by=community_admin, booking=second, reason=" ")
    actions.decline_booking(by=community_admin, booking=second, reason="该时段已安排其他活动")
    second.refresh_from_db()
    assert second.status == "declined" and second.decline_reason == "该时段已安排其他活动"
    # And a new request for the confirmed slot is refused at once
    with pytest.raises(Conflict):
        book(room, ResidentFactory(grid_node=community))


def test_the_resident_hears_the_decision(room, resident, community, community_admin):
    confirmed, declined = book(room, resident), book(room, resident, hour=15)
    actions.confirm_booking(by=community_admin, booking=confirmed)
    actions.decline_booking(by=community_admin, booking=declined, reason="场地维修")
    titles = sorted(Notification.objects.filter(recipient=resident).values_list("title", "body"))
    assert titles[0][0] == "您预约的“议事厅”已确认"
    assert titles[1][0] == "您预约的“议事厅”未通过" and "原因：场地维修" in titles[1][1]


def test_only_the_rooms_owners_decide(room, resident, community, other_community_admin, grid_worker, unit_operator):
    pending = book(room, resident)
    for outsider in (resident, other_community_admin, unit_operator):
        with pytest.raises(PermissionDenied):
            actions.confirm_booking(by=outsider, booking=pending)
    actions.confirm_booking(by=grid_worker, booking=pending)  # staff of the room's subtree


def test_a_units_room_is_decided_by_the_units_operators(community, resident):
    unit = MemberUnitFactory(grid_node=community)
    operator = UserFactory(role="unit_operator", unit=unit, grid_node=community)
    room = RoomFactory(station=None, unit=unit, needs_approval=True)
    pending = book(room, resident)
    assert list(selectors.pending_bookings(operator)) == [pending]
    actions.decline_booking(by=operator, booking=pending, reason="单位内部会议")
    assert selectors.pending_bookings(operator).count() == 0


def test_pending_bookings_are_scoped(room, resident, community_admin, other_community_admin, street_admin):
    pending = book(room, resident)
    actions.cancel_booking(by=resident, booking=book(room, resident, hour=15))
    assert list(selectors.pending_bookings(community_admin)) == [pending]
    assert list(selectors.pending_bookings(street_admin)) == [pending]
    assert list(selectors.pending_bookings(other_community_admin)) == []
    assert list(selectors.pending_bookings(resident)) == []


def test_a_cancelled_request_cannot_be_confirmed(room, resident, community_admin):
    pending = book(room, resident)
    actions.cancel_booking(by=resident, booking=pending)
    with pytest.raises(Conflict):
        actions.confirm_booking(by=community_admin, booking=Booking.objects.get(pk=pending.pk))


def test_the_resident_sees_pending_and_the_admin_confirms_with_its_button(client, room, resident, community_admin):
    pending = book(room, resident)
    client.force_login(resident)
    page = client.get(reverse("services:my_bookings")).content.decode()
    assert "待确认" in page and "等待空间管理方确认" in page
    client.force_login(community_admin)
    change = client.get(reverse("admin:services_booking_change", args=[pending.pk])).content.decode()
    assert "确认预约" in change and "退回预约" in change
    client.post(reverse("admin:services_booking_transition", args=[pending.pk, "confirm"]), {"confirm": "yes"})
    pending.refresh_from_db()
    assert pending.status == "confirmed"


def test_the_api_confirms_and_declines(client, room, resident, community_admin):
    first, second = book(room, resident), book(room, resident, hour=15)
    client.force_login(community_admin)
    ok = client.post(f"/api/v1/bookings/{first.pk}/confirm/", content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "confirmed"
    missing = client.post(f"/api/v1/bookings/{second.pk}/decline/", {}, content_type="application/json")
    assert missing.status_code == 400
    no = client.post(f"/api/v1/bookings/{second.pk}/decline/", {"reason": "维修"}, content_type="application/json")
    assert no.status_code == 200 and no.json()["status"] == "declined"
    client.force_login(resident)
    assert client.post(f"/api/v1/bookings/{second.pk}/confirm/").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_concurrent_confirmations_and_bookings_of_one_slot_confirm_exactly_one(community):
    # Given a room that needs approval, twelve overlapping (not identical) pending requests, and twelve admins
    # each confirming one of them at the same moment, on their own database connections
    assert connection.vendor == "postgresql", "this test is about the PostgreSQL exclusion constraint"
    room = RoomFactory(station__grid_node=community, needs_approval=True)
    start, _ = slot(hours=2)
    requests = []
    for i in range(12):
        s = start + datetime.timedelta(minutes=(i % 4) * 15)
        requests.append(
            actions.book_room(
                by=ResidentFactory(grid_node=community),
                room=room,
                starts_at=s,
                ends_at=s + datetime.timedelta(hours=1),
                purpose="议事",
            )
        )
    admins = [UserFactory(role="community_admin", grid_node=community) for _ in range(12)]
    barrier = threading.Barrier(len(admins))
    outcomes = []

    def confirm(admin, booking):
        try:
            barrier.wait()
            actions.confirm_booking(by=admin, booking=booking)
            outcomes.append("confirmed")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm, args=(a, b)) for a, b in zip(admins, requests, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Then exactly one request is confirmed; the others stay pending, to be declined
    assert outcomes.count("confirmed") == 1
    assert outcomes.count("conflict") == len(requests) - 1
    assert Booking.objects.filter(room=room, status="confirmed").count() == 1
    assert Booking.objects.filter(room=room, status="pending").count() == len(requests) - 1
