"""Notification deliveries to Excel: the deliveries of accounts in the admin's subtree, addresses masked."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from alliance.core.models import Notification, NotificationDelivery
from tests.members.factories import ResidentFactory

pytestmark = pytest.mark.django_db


def deliver(user, n: int, channel: str = "sms", status: str = "failed") -> None:
    for i in range(n):
        notification = Notification.objects.create(recipient=user, key=f"order:{user.pk}:{i}", title=f"点单提醒{i}")
        NotificationDelivery.objects.create(
            notification=notification, channel=channel, address="13912345678", status=status, last_error="网关超时"
        )


def table(response) -> list[tuple]:
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "消息投递"
    return list(sheet.iter_rows(values_only=True))


def test_deliveries_of_the_community_are_exported_with_masked_addresses(
    client, community_admin, community, other_community
):
    mine = ResidentFactory(grid_node=community, display_name="王阿姨")
    deliver(mine, 1)
    deliver(ResidentFactory(grid_node=other_community), 1)
    client.force_login(community_admin)

    rows = table(client.get(reverse("admin:core_notificationdelivery_export_excel"), {"status__exact": "failed"}))

    assert rows[0][:6] == ("编号", "通知", "接收人", "渠道", "地址", "状态")
    assert [r[1:8] for r in rows[1:]] == [("点单提醒0", "王阿姨", "短信", "139****5678", "发送失败", 0, "网关超时")]


def test_deliveries_export_runs_the_same_queries_for_two_and_six_rows(client, street_admin, community):
    client.force_login(street_admin)
    url = reverse("admin:core_notificationdelivery_export_excel")

    def queries(n: int) -> int:
        deliver(ResidentFactory(grid_node=community), n)
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            rows = table(client.get(url))
        assert len(rows) == 1 + NotificationDelivery.objects.count()
        return len(captured)

    assert queries(2) == queries(6)
