"""Delivery receipts: Alibaba Cloud's status query (the periodic job) and the receipts both providers push."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from alliance.core import tasks
from alliance.core.models import NotificationDelivery, NotificationPreference
from alliance.core.notifications import deliver, notify
from tests.members.factories import ResidentFactory

pytestmark = pytest.mark.usefixtures("quiet_hours_off")

# Later than any delivery a test makes, however long after collection the test runs (the suite takes minutes).
NOW = timezone.now() + datetime.timedelta(hours=3)


def sent_sms(user) -> NotificationDelivery:
    notify(recipient=user, key="order:1:remind", title="提醒")
    delivery = NotificationDelivery.objects.get(channel="sms")
    assert deliver(delivery.pk, now=NOW) == "sent"
    delivery.refresh_from_db()
    return delivery


def test_the_status_query_marks_delivered_and_undelivered_messages(aliyun, community, texted):
    other = ResidentFactory(grid_node=community)
    NotificationPreference.objects.create(user=other, sms=True)
    notify(recipient=texted, key="order:1:remind", title="提醒")
    notify(recipient=other, key="order:1:remind", title="提醒")
    for pk in NotificationDelivery.objects.values_list("pk", flat=True):
        assert deliver(pk, now=NOW) == "sent"
    first = NotificationDelivery.objects.get(notification__recipient=texted)
    second = NotificationDelivery.objects.get(notification__recipient=other)
    aliyun.receipts = {first.provider_message_id: (3, "DELIVERED")}  # the other is still waiting

    assert tasks.query_sms_receipts_task.apply().get() == {"delivered": 1, "failed": 0, "waiting": 1, "error": 0}
    first.refresh_from_db()
    assert first.delivered_at is not None and first.status == "sent"

    aliyun.receipts[second.provider_message_id] = (2, "MK:0001")
    assert tasks.query_sms_receipts_task.apply().get() == {"delivered": 0, "failed": 1, "waiting": 0, "error": 0}
    second.refresh_from_db()
    assert second.status == "failed" and "MK:0001" in second.last_error
    queries = [c for c in aliyun.calls if c["action"] == "QuerySendDetails"]
    assert {q["BizId"] for q in queries} == {first.provider_message_id, second.provider_message_id}
    assert queries[0]["SendDate"] == timezone.localtime(first.sent_at).strftime("%Y%m%d")
    assert len(queries) == 3  # two, then the one still waiting
    # Nothing is asked again once every receipt is known.
    assert tasks.query_sms_receipts_task.apply().get() == {"delivered": 0, "failed": 0, "waiting": 0, "error": 0}


def test_the_status_query_does_nothing_with_a_provider_that_pushes(tencent, texted):
    sent_sms(texted)
    assert tasks.query_sms_receipts_task.apply().get() == {}


def test_pushed_receipts_of_alibaba_cloud_mark_the_delivery(client, aliyun, texted, settings):
    settings.SMS_RECEIPT_TOKEN = "t0ken"
    delivery = sent_sms(texted)
    url = reverse("channels:sms-receipt", args=["aliyun", "t0ken"])
    body = [
        {
            "phone_number": texted.phone,
            "send_time": "2026-12-02 10:00:00",
            "report_time": "2026-12-02 10:00:05",
            "success": True,
            "err_code": "DELIVERED",
            "err_msg": "用户接收成功",
            "sms_size": "1",
            "biz_id": delivery.provider_message_id,
            "out_id": "",
        }
    ]
    r = client.post(url, body, content_type="application/json")
    assert r.status_code == 200 and r.json() == {"code": 0, "msg": "成功"}
    delivery.refresh_from_db()
    assert delivery.delivered_at is not None
    # Told twice: nothing changes.
    stamp = delivery.delivered_at
    assert client.post(url, body, content_type="application/json").status_code == 200
    delivery.refresh_from_db()
    assert delivery.delivered_at == stamp


def test_pushed_receipts_of_tencent_cloud_mark_a_failure(client, tencent, texted, settings):
    settings.SMS_RECEIPT_TOKEN = "t0ken"
    delivery = sent_sms(texted)
    body = [
        {
            "user_receive_time": "2026-12-02 10:00:05",
            "nationcode": "86",
            "mobile": texted.phone,
            "report_status": "FAIL",
            "errmsg": "MN:0017",
            "description": "用户短信未送达",
            "sid": delivery.provider_message_id,
        }
    ]
    r = client.post(reverse("channels:sms-receipt", args=["tencent", "t0ken"]), body, content_type="application/json")
    assert r.status_code == 200 and r.json() == {"result": 0, "errmsg": "OK"}
    delivery.refresh_from_db()
    assert delivery.status == "failed" and "MN:0017" in delivery.last_error


@pytest.mark.parametrize(
    ("provider", "token"),
    [("tencent", "wrong"), ("nobody", "t0ken"), ("aliyun", "")],
)
def test_receipts_need_the_configured_token(client, settings, db, provider, token):
    settings.SMS_RECEIPT_TOKEN = "t0ken"
    url = f"/channels/sms/receipts/{provider}/{token}/"
    assert client.post(url, [], content_type="application/json").status_code == 404


def test_no_token_configured_refuses_every_receipt(client, settings, db):
    settings.SMS_RECEIPT_TOKEN = ""
    url = reverse("channels:sms-receipt", args=["tencent", "anything"])
    assert client.post(url, [], content_type="application/json").status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        '{"sid": "1"}',
        "[1, 2]",
        '[{"sid": "x", "report_status": "MAYBE"}]',
        '[{"sid": "' + "x" * 500 + '", "report_status": "SUCCESS"}]',
        "[" + ",".join(['{"sid": "x", "report_status": "SUCCESS"}'] * 501) + "]",
        "null",
    ],
)
def test_a_malformed_receipt_is_a_400(client, settings, db, body):
    settings.SMS_RECEIPT_TOKEN = "t0ken"
    url = reverse("channels:sms-receipt", args=["tencent", "t0ken"])
    assert client.post(url, body, content_type="application/json").status_code == 400


def test_staff_see_when_a_message_was_delivered(client, aliyun, texted, street_admin, settings):
    settings.SMS_RECEIPT_TOKEN = "t0ken"
    delivery = sent_sms(texted)
    body = [{"biz_id": delivery.provider_message_id, "success": True, "err_code": "DELIVERED"}]
    client.post(reverse("channels:sms-receipt", args=["aliyun", "t0ken"]), body, content_type="application/json")
    client.force_login(street_admin)
    page = client.get(reverse("admin:core_notificationdelivery_change", args=[delivery.pk])).content.decode()
    assert "送达时间" in page and delivery.provider_message_id in page
    assert "送达时间" in client.get(reverse("admin:core_notificationdelivery_changelist")).content.decode()
