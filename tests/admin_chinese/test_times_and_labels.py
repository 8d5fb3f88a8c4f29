"""Times in Beijing time and labels instead of raw keys on the staff's admin pages (issue 14)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from alliance.core.models import Notification
from services.models import IssueEvent, OrderEvent
from tests.services.factories import (
    BookingFactory,
    IssueFactory,
    MenuItemFactory,
    OrderFactory,
    RoomFactory,
    ServiceStationFactory,
)

pytestmark = pytest.mark.django_db

# 23:30 on 4 May in UTC is 07:30 on 5 May in Beijing: a title formatted in UTC shows the wrong day.
UTC_EVENING = datetime.datetime(2026, 5, 4, 23, 30, tzinfo=datetime.UTC)


def test_timeline_rows_are_titled_in_beijing_time(client, community_admin, resident, unit):
    order = OrderFactory(resident=resident, menu_item=MenuItemFactory(provider_unit=unit))
    OrderEvent.objects.create(order=order, kind=OrderEvent.Kind.SUBMITTED, at=UTC_EVENING, by=resident)
    issue = IssueFactory(reporter=resident)
    IssueEvent.objects.create(
        issue=issue, kind=IssueEvent.Kind.REPORTED, level=issue.level, at=UTC_EVENING, by=resident
    )
    client.force_login(community_admin)

    for url in (
        reverse("admin:services_order_change", args=[order.pk]),
        reverse("admin:services_issue_change", args=[issue.pk]),
    ):
        page = client.get(url).content.decode()
        assert "2026-05-05 07:30" in page, url  # the row's title
        assert "2026年5月5日 07:30" in page, url  # its time column
        assert "2026-05-04 23:30" not in page, url


def _notifications(community_admin, resident, n):
    issues = IssueFactory.create_batch(n, reporter=resident, title="路灯不亮")
    for issue in issues:
        Notification.objects.create(
            recipient=community_admin, key=f"issue:{issue.pk}:escalate:3", title="居民说事超时", body="请处理。"
        )
        Notification.objects.create(recipient=resident, key=f"order:{issue.pk + 99999}:remind", title="点单提醒")


def test_the_notification_list_names_what_each_is_about_in_fixed_queries(
    client, community_admin, resident, django_assert_max_num_queries
):
    client.force_login(community_admin)
    _notifications(community_admin, resident, 2)
    url = reverse("admin:core_notification_changelist")
    client.get(url)  # sessions, content types warmed up
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    _notifications(community_admin, resident, 20)

    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url).content.decode()

    assert "居民说事 · 路灯不亮" in page
    assert "居民点单（已删除）" in page  # an order no longer there
    assert "issue:" not in page and "escalate" not in page


def test_a_booking_is_named_by_its_beijing_time(resident):
    room = RoomFactory(station=ServiceStationFactory(grid_node=resident.grid_node))
    start = timezone.now() + datetime.timedelta(days=3)
    booking = BookingFactory(
        room=room, booked_by=resident, starts_at=start, ends_at=start + datetime.timedelta(hours=1)
    )

    assert str(booking).endswith(f"{timezone.localtime(start):%Y-%m-%d %H:%M}")
