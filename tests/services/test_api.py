"""The services API: transitions as actions, 404 for others' records, masking, fixed query counts."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image
from rest_framework.test import APIClient

from services import actions
from services.models import Booking, Order
from tests.members.factories import ResidentFactory
from tests.services.factories import (
    ActivityFactory,
    IssueFactory,
    MenuItemFactory,
    OrderFactory,
    RoomFactory,
    ServiceStationFactory,
)


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def item(unit, community):
    return MenuItemFactory(provider_unit=unit, grid_scope=community)


@pytest.fixture
def order(resident, item):
    return actions.submit_order(by=resident, menu_item=item, address="舜玉小区3号楼2单元501")


def test_resident_orders_and_follows_through_the_api(resident, item, unit_operator, grid_worker):
    r = api(resident).post("/api/v1/orders/", {"menu_item": item.pk, "wanted_on": str(timezone.localdate())})
    assert r.status_code == 201, r.content
    oid = r.json()["id"]
    assert r.json()["status"] == "submitted" and r.json()["events"][0]["kind_label"] == "居民点单"
    assert api(unit_operator).post(f"/api/v1/orders/{oid}/accept/").json()["status"] == "accepted"
    assert api(resident).post(f"/api/v1/orders/{oid}/rate/", {"rating": 5}).status_code == 400
    r = api(unit_operator).post(f"/api/v1/orders/{oid}/serve/")
    assert r.status_code == 200 and r.json()["status"] == "served" and r.json()["served_at"]
    assert r.json()["status_label"] == "已服务，待社区确认"
    assert api(resident).post(f"/api/v1/orders/{oid}/rate/", {"rating": 5}).status_code == 400
    r = api(grid_worker).post(f"/api/v1/orders/{oid}/confirm-delivery/")
    assert r.status_code == 200 and r.json()["status"] == "delivered"
    r = api(resident).post(f"/api/v1/orders/{oid}/rate/", {"rating": 4, "comment": "很好"})
    assert r.status_code == 200 and r.json()["status"] == "rated"
    events = r.json()["events"]
    assert [e["kind"] for e in events] == ["submitted", "accepted", "served", "delivered", "rated"]
    assert [e["kind_label"] for e in events][2:4] == ["单位已服务", "社区送达"]


def test_the_unit_cannot_confirm_its_own_delivery_through_the_api(order, unit_operator, grid_worker, unit):
    client = api(unit_operator)
    client.post(f"/api/v1/orders/{order.pk}/accept/")
    for path in ("confirm-delivery", "deliver"):
        r = client.post(f"/api/v1/orders/{order.pk}/{path}/")
        assert r.status_code == 403 and "社区" in r.json()["detail"]
    assert client.post(f"/api/v1/orders/{order.pk}/serve/").status_code == 200
    assert client.post(f"/api/v1/orders/{order.pk}/confirm-delivery/").status_code == 403
    assert client.post(f"/api/v1/orders/{order.pk}/serve/").status_code == 409
    assert not unit.points.exists()  # serving earns nothing


def test_deliver_stays_as_the_old_name_of_the_communitys_confirmation(order, unit_operator, community_admin):
    api(unit_operator).post(f"/api/v1/orders/{order.pk}/accept/")
    api(unit_operator).post(f"/api/v1/orders/{order.pk}/serve/")
    r = api(community_admin).post(f"/api/v1/orders/{order.pk}/deliver/")
    assert r.status_code == 200 and r.json()["status"] == "delivered"
    assert api(community_admin).post(f"/api/v1/orders/{order.pk}/confirm-delivery/").status_code == 409


def test_staff_outside_the_community_get_404_on_confirm_delivery(order, unit_operator, other_community_admin):
    api(unit_operator).post(f"/api/v1/orders/{order.pk}/accept/")
    api(unit_operator).post(f"/api/v1/orders/{order.pk}/serve/")
    assert api(other_community_admin).post(f"/api/v1/orders/{order.pk}/confirm-delivery/").status_code == 404
    order.refresh_from_db()
    assert order.status == "served"


def test_rating_out_of_range_is_400_in_chinese(order, resident):
    r = api(resident).post(f"/api/v1/orders/{order.pk}/rate/", {"rating": 9})
    assert r.status_code == 400


def test_resident_b_gets_404_for_resident_as_order_and_issue(order, community, resident):
    other = ResidentFactory(grid_node=community)
    issue = IssueFactory(reporter=resident)
    for url in (f"/api/v1/orders/{order.pk}/", f"/api/v1/issues/{issue.pk}/"):
        assert api(other).get(url).status_code == 404
    assert api(other).post(f"/api/v1/orders/{order.pk}/cancel/").status_code == 404
    assert api(other).post(f"/api/v1/issues/{issue.pk}/rate/", {"rating": 5}).status_code == 404
    assert api(other).get("/api/v1/orders/").json()["count"] == 0


def test_anonymous_cannot_list_orders(order):
    assert api().get("/api/v1/orders/").status_code in (401, 403)


def test_unit_out_of_scope_gets_404_and_resident_gets_403_on_accept(order, resident, other_community):
    from tests.members.factories import MemberUnitFactory, UnitOperatorFactory

    far = UnitOperatorFactory(unit=MemberUnitFactory(grid_node=other_community), grid_node=other_community)
    assert api(far).post(f"/api/v1/orders/{order.pk}/accept/").status_code == 404
    assert api(resident).post(f"/api/v1/orders/{order.pk}/accept/").status_code == 403


def test_second_accept_is_409(order, unit_operator):
    assert api(unit_operator).post(f"/api/v1/orders/{order.pk}/accept/").status_code == 200
    r = api(unit_operator).post(f"/api/v1/orders/{order.pk}/accept/")
    assert r.status_code == 409 and "接单" in r.json()["detail"]


def test_phone_is_masked_for_units_not_yet_serving_and_shown_once_accepted(order, unit_operator):
    r = api(unit_operator).get(f"/api/v1/orders/{order.pk}/")
    assert r.json()["contact_phone"] == "139****5678" or "****" in r.json()["contact_phone"]
    assert "****" in r.json()["address"]
    actions.accept_order(by=unit_operator, order=order)
    r = api(unit_operator).get(f"/api/v1/orders/{order.pk}/")
    assert r.json()["contact_phone"] == order.contact_phone


def test_staff_in_scope_see_contact_other_staff_get_404(order, grid_worker, other_community_admin):
    assert api(grid_worker).get(f"/api/v1/orders/{order.pk}/").json()["contact_phone"] == order.contact_phone
    assert api(other_community_admin).get(f"/api/v1/orders/{order.pk}/").status_code == 404


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (36.0, 40.0, 0.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_issue_with_photos_through_the_api_strips_location(resident, micro_grid, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    photo = SimpleUploadedFile("路灯.jpg", jpeg_with_gps(), content_type="image/jpeg")
    r = api(resident).post(
        "/api/v1/issues/",
        {"title": "路灯不亮", "text": "3号楼前路灯坏了", "grid_node": micro_grid.pk, "photos": [photo]},
        format="multipart",
    )
    assert r.status_code == 201, r.content
    from services.models import IssuePhoto

    stored = IssuePhoto.objects.get()
    with Image.open(stored.image.path) as img:
        assert not img.getexif()
    assert r.json()["photos"] == [stored.image.url]


def test_fake_image_and_too_many_photos_are_400(resident, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("x.jpg", b"<?php echo 1; ?>", content_type="image/jpeg")
    r = api(resident).post("/api/v1/issues/", {"title": "t", "text": "x", "photos": [fake]}, format="multipart")
    assert r.status_code == 400 and "格式" in str(r.json())
    many = [SimpleUploadedFile(f"{i}.jpg", jpeg_with_gps(), content_type="image/jpeg") for i in range(4)]
    r = api(resident).post("/api/v1/issues/", {"title": "t", "text": "x", "photos": many}, format="multipart")
    assert r.status_code == 400 and "最多" in str(r.json())


def test_grid_worker_moves_and_escalates_through_the_api(grid_worker, resident, micro_grid):
    issue = actions.report_issue(by=resident, title="噪音", text="夜间施工", grid_node=micro_grid)
    r = api(grid_worker).post(f"/api/v1/issues/{issue.pk}/move/", {"text": "已登记"})
    assert r.json()["status"] == "consulting"
    r = api(grid_worker).post(f"/api/v1/issues/{issue.pk}/escalate/", {"reason": "需社区协调"})
    assert r.json()["level"] == 2 and r.json()["events"][-1]["kind"] == "escalated"
    assert api(resident).post(f"/api/v1/issues/{issue.pk}/escalate/").status_code == 403
    r = api(grid_worker).post(f"/api/v1/issues/{issue.pk}/raise-matter/")
    assert r.status_code in (400, 403)


def test_overlapping_booking_is_409_with_chinese_message(resident, community):
    room = RoomFactory(station__grid_node=community)
    day = timezone.localdate() + datetime.timedelta(days=2)
    start = datetime.datetime.combine(day, datetime.time(10), tzinfo=timezone.get_current_timezone())
    body = {
        "room": room.pk,
        "starts_at": start.isoformat(),
        "ends_at": (start + datetime.timedelta(hours=1)).isoformat(),
        "purpose": "议事",
    }
    assert api(resident).post("/api/v1/bookings/", body).status_code == 201
    r = api(ResidentFactory(grid_node=community)).post("/api/v1/bookings/", body)
    assert r.status_code == 409 and r.json()["detail"] == "该时段已被预约"
    slots = api().get(f"/api/v1/rooms/{room.pk}/slots/", {"date": day.isoformat()}).json()
    assert [s["free"] for s in slots if s["starts_at"].startswith(f"{day.isoformat()}T10")] == [False]
    bid = Booking.objects.get().pk
    assert api(resident).post(f"/api/v1/bookings/{bid}/cancel/").json()["status"] == "cancelled"


def test_a_booking_reads_its_room_once_under_its_lock_and_names_a_closed_or_missing_room(resident, community):
    room = RoomFactory(station__grid_node=community)
    day = timezone.localdate() + datetime.timedelta(days=3)
    start = datetime.datetime.combine(day, datetime.time(9), tzinfo=timezone.get_current_timezone())
    body = {
        "starts_at": start.isoformat(),
        "ends_at": (start + datetime.timedelta(hours=1)).isoformat(),
        "purpose": "排练",
    }
    with CaptureQueriesContext(connection) as queries:
        assert api(resident).post("/api/v1/bookings/", {**body, "room": room.pk}).status_code == 201
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "services_room"' in q["sql"]]
    assert len(reads) == 1 and reads[0].endswith("FOR UPDATE"), reads
    room.is_active = False
    room.save()
    closed = api(resident).post("/api/v1/bookings/", {**body, "room": room.pk, "starts_at": body["ends_at"]})
    assert closed.status_code == 400 and "暂停预约" in closed.json()["room"][0]
    missing = api(resident).post("/api/v1/bookings/", {**body, "room": 10**12})
    assert missing.status_code == 400 and "没有这个空间" in missing.json()["room"][0]
    assert Booking.objects.count() == 1


def test_activity_signup_and_full_is_409(resident, community):
    activity = ActivityFactory(grid_node=community, capacity=1)
    assert api(resident).post(f"/api/v1/activities/{activity.pk}/signup/").json()["signed_count"] == 1
    r = api(ResidentFactory(grid_node=community)).post(f"/api/v1/activities/{activity.pk}/signup/")
    assert r.status_code == 409
    r = api(resident).post(f"/api/v1/activities/{activity.pk}/cancel-signup/")
    assert r.json()["signed_count"] == 0
    assert api().post(f"/api/v1/activities/{activity.pk}/signup/").status_code in (401, 403)


# --- fixed query counts --------------------------------------------------------------------


def _count_queries(django_assert_num_queries, client, url, n):
    with django_assert_num_queries(n):
        r = client.get(url)
    assert r.status_code == 200
    return r.json()


@pytest.mark.parametrize("rows", [2, 12])
def test_public_lists_run_a_fixed_number_of_queries(django_assert_num_queries, community, unit, rows):
    for _ in range(rows):
        station = ServiceStationFactory(grid_node=community)
        RoomFactory(station=station)
        MenuItemFactory(provider_unit=unit, grid_scope=community)
        ActivityFactory(grid_node=community)
    client = api()
    # count + page, for each public list
    for url in ("/api/v1/stations/", "/api/v1/rooms/", "/api/v1/menu/", "/api/v1/activities/"):
        data = _count_queries(django_assert_num_queries, client, url, 2)
        assert data["count"] == rows


@pytest.mark.parametrize("rows", [2, 12])
def test_own_lists_run_a_fixed_number_of_queries(django_assert_num_queries, community, resident, unit, rows):
    item = MenuItemFactory(provider_unit=unit, grid_scope=community)
    room = RoomFactory(station__grid_node=community)
    start = timezone.now() + datetime.timedelta(days=1)
    for i in range(rows):
        OrderFactory(resident=resident, menu_item=item)
        IssueFactory(reporter=resident)
        Booking.objects.create(
            room=room,
            booked_by=resident,
            starts_at=start + datetime.timedelta(hours=i),
            ends_at=start + datetime.timedelta(hours=i, minutes=50),
            purpose="议事",
        )
    client = api(resident)
    # count + page for orders and bookings; orders add their categories' parents, issues the photos.
    assert _count_queries(django_assert_num_queries, client, "/api/v1/orders/", 3)["count"] == rows
    assert _count_queries(django_assert_num_queries, client, "/api/v1/bookings/", 2)["count"] == rows
    assert _count_queries(django_assert_num_queries, client, "/api/v1/issues/", 3)["count"] == rows


@pytest.mark.parametrize("rows", [2, 12])
def test_unit_and_staff_order_lists_run_a_fixed_number_of_queries(
    django_assert_num_queries, community, unit, unit_operator, grid_worker, rows
):
    item = MenuItemFactory(provider_unit=unit, grid_scope=community)
    for _ in range(rows):
        OrderFactory(resident=ResidentFactory(grid_node=community), menu_item=item)
    # unit: its offer (1) + count + page + the categories' parents
    assert _count_queries(django_assert_num_queries, api(unit_operator), "/api/v1/orders/", 4)["count"] == rows
    # staff: count + page + the categories' parents
    assert _count_queries(django_assert_num_queries, api(grid_worker), "/api/v1/orders/", 3)["count"] == rows
    assert Order.objects.count() == rows


def test_openapi_schema_lists_the_services_transitions(client, db):
    schema = client.get("/api/schema/").content.decode()
    for path in (
        "/api/v1/orders/{id}/accept/",
        "/api/v1/orders/{id}/decline/",
        "/api/v1/orders/{id}/deliver/",
        "/api/v1/orders/{id}/serve/",
        "/api/v1/orders/{id}/confirm-delivery/",
        "/api/v1/orders/{id}/rate/",
        "/api/v1/orders/{id}/cancel/",
        "/api/v1/issues/{id}/escalate/",
        "/api/v1/issues/{id}/move/",
        "/api/v1/bookings/",
        "/api/v1/activities/{id}/signup/",
        "/api/v1/rooms/{id}/slots/",
    ):
        assert path in schema, path


@pytest.mark.parametrize("rows", [2, 12])
def test_notifications_are_ones_own_and_can_be_marked_read(django_assert_num_queries, resident, community, rows):
    other = ResidentFactory(grid_node=community)
    for i in range(rows):
        resident.notifications.create(key=f"test:{i}", title=f"通知{i}")
    other.notifications.create(key="test:x", title="别人的通知")
    # count + page
    data = _count_queries(django_assert_num_queries, api(resident), "/api/v1/notifications/", 2)
    assert data["count"] == rows
    note = resident.notifications.first()
    assert api(resident).post(f"/api/v1/notifications/{note.pk}/read/").json()["read_at"]
    assert api(resident).get("/api/v1/notifications/", {"unread": "true"}).json()["count"] == rows - 1
    assert api(other).post(f"/api/v1/notifications/{note.pk}/read/").status_code == 404
