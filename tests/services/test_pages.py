"""Portal and workspace pages: they render, act through the actions, refuse others, and keep query counts fixed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from services import actions
from services.models import Booking, Issue, Order, ReplyTemplate, ServiceSettings
from tests.members.factories import ResidentFactory
from tests.services.factories import (
    ActivityFactory,
    IssueFactory,
    MenuItemFactory,
    OrderFactory,
    RoomFactory,
    ServiceStationFactory,
)


@pytest.fixture
def item(unit, community):
    return MenuItemFactory(provider_unit=unit, grid_scope=community)


def test_public_pages_render_for_anyone(client, community, item):
    station = ServiceStationFactory(grid_node=community)
    room = RoomFactory(station=station)
    activity = ActivityFactory(grid_node=community)
    for url in (
        reverse("services:index"),
        reverse("services:menu"),
        reverse("services:menu_item", args=[item.pk]),
        reverse("services:stations"),
        reverse("services:station", args=[station.pk]),
        reverse("services:room", args=[room.pk]),
        reverse("services:activities"),
        reverse("services:activity", args=[activity.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert item.title in client.get(reverse("services:menu")).content.decode()


def test_resident_orders_from_the_page_and_sees_the_timeline(client, resident, item):
    client.force_login(resident)
    response = client.post(reverse("services:menu_item", args=[item.pk]), {"address": "舜玉小区3号楼"}, follow=True)
    page = response.content.decode()
    assert "点单成功" in page and "您提交了点单" in page
    order = Order.objects.get()
    # Cancelling asks first (a confirm page), then the confirm button posts.
    confirm = client.get(reverse("services:order_cancel", args=[order.pk])).content.decode()
    assert "确定取消这个点单吗" in confirm and Order.objects.get().status == Order.Status.SUBMITTED
    response = client.post(reverse("services:order_cancel", args=[order.pk]), follow=True)
    assert "点单已取消" in response.content.decode()


def test_rating_before_delivery_shows_the_chinese_refusal(client, resident, item):
    order = actions.submit_order(by=resident, menu_item=item)
    client.force_login(resident)
    response = client.post(reverse("services:order_rate", args=[order.pk]), {"rating": "5"}, follow=True)
    assert "服务送达后才能评价" in response.content.decode()


def test_resident_b_gets_404_on_resident_as_pages(client, resident, item, community):
    order = actions.submit_order(by=resident, menu_item=item)
    issue = IssueFactory(reporter=resident)
    client.force_login(ResidentFactory(grid_node=community))
    assert client.get(reverse("services:order", args=[order.pk])).status_code == 404
    assert client.get(reverse("services:issue", args=[issue.pk])).status_code == 404
    assert client.post(reverse("services:order_cancel", args=[order.pk])).status_code == 404


def test_report_an_issue_with_a_photo(client, resident, micro_grid, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.services.test_api import jpeg_with_gps

    settings.MEDIA_ROOT = tmp_path
    client.force_login(resident)
    photo = SimpleUploadedFile("a.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = client.post(
        reverse("services:issue_new"),
        {"title": "楼道灯坏了", "text": "2单元楼道灯不亮", "grid_node": micro_grid.pk, "photos": [photo]},
        follow=True,
    )
    assert "已收到您反映的问题" in response.content.decode()
    assert Issue.objects.get().photos.count() == 1


def test_fake_photo_is_refused_on_the_form(client, resident, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client.force_login(resident)
    fake = SimpleUploadedFile("a.jpg", b"not an image", content_type="image/jpeg")
    response = client.post(reverse("services:issue_new"), {"title": "t", "text": "x", "photos": [fake]})
    assert response.status_code == 200
    assert Issue.objects.count() == 0


def test_book_a_slot_from_the_room_page(client, resident, community):
    room = RoomFactory(station__grid_node=community)
    day = timezone.localdate() + datetime.timedelta(days=1)
    start = datetime.datetime.combine(day, datetime.time(9), tzinfo=timezone.get_current_timezone())
    client.force_login(resident)
    body = {"starts_at": start.isoformat(), "purpose": "楼组议事会", "attendees": 8}
    response = client.post(reverse("services:room", args=[room.pk]), body, follow=True)
    assert "预约成功" in response.content.decode()
    client.force_login(ResidentFactory(grid_node=community))
    response = client.post(reverse("services:room", args=[room.pk]), body, follow=True)
    assert "该时段已被预约" in response.content.decode()
    assert Booking.objects.count() == 1


def test_sign_up_and_cancel_from_the_activity_page(client, resident, community):
    activity = ActivityFactory(grid_node=community)
    client.force_login(resident)
    assert (
        "报名成功" in client.post(reverse("services:activity_signup", args=[activity.pk]), follow=True).content.decode()
    )
    response = client.post(reverse("services:activity_signup", args=[activity.pk]), {"cancel": "1"}, follow=True)
    assert "已取消报名" in response.content.decode()


def test_unit_marks_served_and_the_grid_worker_confirms_in_the_workspace(
    client, unit_operator, grid_worker, resident, item
):
    order = actions.submit_order(by=resident, menu_item=item)
    client.force_login(unit_operator)
    assert order.title in client.get(reverse("services_ws:orders")).content.decode()
    client.post(reverse("services_ws:order_accept", args=[order.pk]))
    page = client.get(reverse("services_ws:orders")).content.decode()
    assert "标记已服务" in page and "确认送达" not in page
    response = client.post(reverse("services_ws:order_serve", args=[order.pk]), follow=True)
    assert "待社区确认送达" in response.content.decode()
    # The unit's own confirmation is refused, and nothing changes.
    response = client.post(reverse("services_ws:order_confirm_delivery", args=[order.pk]), follow=True)
    assert "社区" in response.content.decode()
    order.refresh_from_db()
    assert order.status == Order.Status.SERVED

    client.force_login(grid_worker)
    page = client.get(reverse("services_ws:orders")).content.decode()  # the default list: served, to confirm
    assert order.title in page and "确认送达" in page
    response = client.post(reverse("services_ws:order_confirm_delivery", args=[order.pk]), follow=True)
    assert "已确认送达" in response.content.decode()
    order.refresh_from_db()
    assert (order.status, order.delivered_by) == (Order.Status.DELIVERED, grid_worker)


def test_the_residents_order_page_shows_served_awaiting_the_community(client, unit_operator, resident, item):
    order = actions.submit_order(by=resident, menu_item=item)
    actions.accept_order(by=unit_operator, order=order)
    actions.serve_order(by=unit_operator, order=order)
    client.force_login(resident)
    page = client.get(reverse("services:order", args=[order.pk])).content.decode()
    assert f"{unit_operator.unit.name}已完成服务" in page and "社区网格员或工作人员确认后" in page
    assert "社区送达" not in page and "提交评价" not in page


def test_unit_workspace_decline_passes_the_order_on(client, unit_operator, resident, item):
    order = actions.submit_order(by=resident, menu_item=item)
    client.force_login(unit_operator)
    response = client.post(
        reverse("services_ws:order_decline", args=[order.pk]), {"reason": "本周人手不足"}, follow=True
    )
    assert "已婉拒" in response.content.decode()
    assert order.title not in response.content.decode().split("本单位服务中")[0].split("待接单")[1]


def test_resident_cannot_open_the_workspace_issue_pages(client, resident):
    client.force_login(resident)
    assert client.get(reverse("services_ws:issues")).status_code == 403


def test_grid_worker_moves_with_a_reply_template_and_escalates(client, grid_worker, resident, micro_grid):
    ReplyTemplate.objects.create(step="consulting", title="已受理", text="您反映的问题已受理,正在会商。")
    issue = actions.report_issue(by=resident, title="井盖缺失", text="东门井盖缺失", grid_node=micro_grid)
    client.force_login(grid_worker)
    page = client.get(reverse("services_ws:issue", args=[issue.pk])).content.decode()
    assert "已受理" in page
    template = ReplyTemplate.objects.get()
    client.post(reverse("services_ws:issue_move", args=[issue.pk]), {"template": template.pk, "text": ""})
    issue.refresh_from_db()
    assert issue.status == "consulting" and issue.events.last().text == template.text
    client.post(reverse("services_ws:issue_escalate", args=[issue.pk]), {"reason": "需要社区协调"})
    issue.refresh_from_db()
    assert issue.level == Issue.Level.COMMUNITY
    response = client.post(reverse("services_ws:issue_matter", args=[issue.pk]), follow=True)
    assert "无权" in response.content.decode() or "尚未设立" in response.content.decode()


def test_other_community_staff_get_404_on_the_issue(client, other_community_admin, resident, micro_grid):
    issue = actions.report_issue(by=resident, title="井盖", text="缺失", grid_node=micro_grid)
    client.force_login(other_community_admin)
    assert client.get(reverse("services_ws:issue", args=[issue.pk])).status_code == 404


def test_staff_check_in_page(client, grid_worker, resident, community):
    activity = ActivityFactory(grid_node=community, starts_at=timezone.now() + datetime.timedelta(minutes=30))
    signup = actions.sign_up(by=resident, activity=activity)
    client.force_login(grid_worker)
    response = client.post(
        reverse("services_ws:activity_checkin", args=[activity.pk]), {"signup": signup.pk}, follow=True
    )
    assert "已签到" in response.content.decode()
    client.force_login(resident)
    assert client.get(reverse("services_ws:activity_checkin", args=[activity.pk])).status_code == 403


def test_inbox_lists_and_marks_read(client, resident, item, unit_operator):
    order = actions.submit_order(by=resident, menu_item=item)
    actions.accept_order(by=unit_operator, order=order)
    client.force_login(resident)
    assert "已被" in client.get(reverse("services:inbox")).content.decode()
    assert not resident.notifications.filter(read_at__isnull=True).exists()


# --- fixed query counts --------------------------------------------------------------------
# Logged-in pages: session + user (2), then the page's own queries.


def _get(client, django_assert_num_queries, url, n):
    with django_assert_num_queries(n):
        response = client.get(url)
    assert response.status_code == 200, url
    return response


@pytest.mark.parametrize("rows", [2, 15])
def test_public_pages_run_a_fixed_number_of_queries(client, django_assert_num_queries, community, unit, rows):
    for _ in range(rows):
        station = ServiceStationFactory(grid_node=community)
        RoomFactory(station=station)
        MenuItemFactory(provider_unit=unit, grid_scope=community)
        ActivityFactory(grid_node=community)
    # index: categories, activities, stations
    _get(client, django_assert_num_queries, reverse("services:index"), 3)
    # menu: categories, communities, count, page
    _get(client, django_assert_num_queries, reverse("services:menu"), 4)
    # stations: count, page
    _get(client, django_assert_num_queries, reverse("services:stations"), 2)
    # activities: count, page
    _get(client, django_assert_num_queries, reverse("services:activities"), 2)
    # a station: the station, its rooms, its menu items, the next occurrences of its recurring services;
    # its wall (公示) with no party organisation in the community: the organisations, the stars
    _get(client, django_assert_num_queries, reverse("services:station", args=[station.pk]), 6)


@pytest.mark.parametrize("rows", [2, 15])
def test_my_pages_run_a_fixed_number_of_queries(client, django_assert_num_queries, resident, community, unit, rows):
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
            ends_at=start + datetime.timedelta(hours=i, minutes=30),
            purpose="议事",
        )
        resident.notifications.create(key=f"k{i}", title="通知")
    client.force_login(resident)
    # session, user, the counts of the tabs, count, page
    for name in ("services:my_orders", "services:my_issues"):
        _get(client, django_assert_num_queries, reverse(name), 5)
        _get(client, django_assert_num_queries, reverse(name) + "?tab=waiting", 5)
    # session, user, count, page
    _get(client, django_assert_num_queries, reverse("services:my_bookings"), 4)
    # session, user, count, page, mark read (+ savepoint pair of the update on PostgreSQL: none)
    _get(client, django_assert_num_queries, reverse("services:inbox"), 5)


@pytest.mark.parametrize("rows", [2, 15])
def test_workspace_lists_run_a_fixed_number_of_queries(
    client, django_assert_num_queries, unit_operator, grid_worker, community, unit, rows
):
    item = MenuItemFactory(provider_unit=unit, grid_scope=community)
    for _ in range(rows):
        resident = ResidentFactory(grid_node=community)
        o = OrderFactory(resident=resident, menu_item=item)
        if _ % 2:
            Order.objects.filter(pk=o.pk).update(status="served", unit=unit)
        IssueFactory(reporter=resident)
    ServiceSettings.load()  # the limits' row exists (its first read creates it)
    client.force_login(unit_operator)
    # session, user, the user's unit, its offer, the limits, the holiday calendar, count + page of incoming,
    # page of serving
    _get(client, django_assert_num_queries, reverse("services_ws:orders"), 9)
    client.force_login(grid_worker)
    # session, user, the user's grid node (scope), the limits, the holiday calendar, count, page
    _get(client, django_assert_num_queries, reverse("services_ws:orders"), 7)
    # session, user, grid node, the limits, the holiday calendar, count, the handler's assessment, page
    _get(client, django_assert_num_queries, reverse("services_ws:issues"), 8)


@pytest.mark.parametrize("rows", [1, 8])
def test_detail_pages_run_a_fixed_number_of_queries(
    client, django_assert_num_queries, community, micro_grid, unit, unit_operator, grid_worker, rows
):
    from tests.services.factories import BookingFactory

    # Given an order with a timeline, an issue with events, a room with bookings and an activity with sign-ups
    # whose lengths grow with ``rows``,
    resident = ResidentFactory(grid_node=community)
    item = MenuItemFactory(provider_unit=unit, grid_scope=community)
    order = actions.submit_order(by=resident, menu_item=item)
    for _ in range(rows):
        order.events.create(kind="reminded", at=timezone.now(), note="提醒")
    issue = actions.report_issue(by=resident, title="井盖", text="缺失", grid_node=micro_grid)
    for _ in range(rows):
        issue.events.create(kind="moved", status=issue.status, level=issue.level, by=grid_worker, at=timezone.now())
    room = RoomFactory(station__grid_node=community)
    day = timezone.localdate() + datetime.timedelta(days=1)
    for i in range(rows):
        start = datetime.datetime.combine(day, datetime.time(8 + i), tzinfo=timezone.get_current_timezone())
        BookingFactory(room=room, booked_by=resident, starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    activity = ActivityFactory(grid_node=community, capacity=50)
    for _ in range(rows):
        actions.sign_up(by=ResidentFactory(grid_node=community), activity=activity)

    client.force_login(resident)
    # session, user, order, its events
    _get(client, django_assert_num_queries, reverse("services:order", args=[order.pk]), 4)
    # session, user, issue, its photos, its events
    _get(client, django_assert_num_queries, reverse("services:issue", args=[issue.pk]), 5)
    # session, user, room, the day's bookings
    _get(client, django_assert_num_queries, reverse("services:room", args=[room.pk]) + f"?date={day}", 4)
    # session, user, activity with its count, my sign-up
    _get(client, django_assert_num_queries, reverse("services:activity", args=[activity.pk]), 4)
    client.force_login(grid_worker)
    # session, user, grid node, issue, photos, events, reply templates
    _get(client, django_assert_num_queries, reverse("services_ws:issue", args=[issue.pk]), 7)
    # session, user, activity, its sign-ups with their accounts
    _get(client, django_assert_num_queries, reverse("services_ws:activity_checkin", args=[activity.pk]), 5)


def test_home_page_links_to_residents_services(client, db):
    page = client.get(reverse("home")).content.decode()
    assert "居民点单" in page and reverse("services:menu") in page


def test_street_admin_raises_a_matter_from_the_workspace(client, street_admin, street, resident, micro_grid):
    from alliance.committee.models import Committee, Matter

    Committee.objects.create(name="舜玉路街道大工委", kind=Committee.Kind.STREET_JOINT, grid_node=street)
    issue = actions.report_issue(by=resident, title="老旧小区停车难", text="车位严重不足", grid_node=micro_grid)
    client.force_login(street_admin)
    assert "作为议题提交" in client.get(reverse("services_ws:issue", args=[issue.pk])).content.decode()
    response = client.post(
        reverse("services_ws:issue_matter", args=[issue.pk]), {"title": "停车难综合治理"}, follow=True
    )
    assert "已提交街道大工委研究" in response.content.decode()
    assert Matter.objects.get().title == "停车难综合治理"


def test_community_grid_worker_raises_a_matter_from_the_workspace(client, grid_worker, street, resident, micro_grid):
    from alliance.committee.models import Committee, Matter

    Committee.objects.create(name="舜玉路街道大工委", kind=Committee.Kind.STREET_JOINT, grid_node=street)
    issue = actions.report_issue(by=resident, title="停车难", text="车位不足", grid_node=micro_grid)
    client.force_login(grid_worker)
    assert "作为议题提交" in client.get(reverse("services_ws:issue", args=[issue.pk])).content.decode()
    client.post(reverse("services_ws:issue_matter", args=[issue.pk]), {"title": "停车难综合治理"})
    assert Matter.objects.get().raised_by == grid_worker


def test_staff_take_a_stations_order_from_the_workspace(client, grid_worker, resident, community):
    station = ServiceStationFactory(grid_node=community)
    item = MenuItemFactory(provider_unit=None, provider_station=station, grid_scope=community)
    order = actions.submit_order(by=resident, menu_item=item)
    client.force_login(grid_worker)
    page = client.get(reverse("services_ws:orders") + "?status=submitted").content.decode()
    assert reverse("services_ws:order_accept", args=[order.pk]) in page
    client.post(reverse("services_ws:order_accept", args=[order.pk]))
    order.refresh_from_db()
    assert order.status == Order.Status.ACCEPTED
