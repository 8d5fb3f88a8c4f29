"""SMS through Alibaba Cloud and Tencent Cloud, each against a local fake server speaking its API.

Success (the template of the message's kind, the signature, the provider's id kept), a refusal no retry
cures (failed at once), a temporary refusal and a timeout (retried with the kernel's doubling backoff),
and one message sent once however often the sweep runs.
"""

import datetime
import json

import pytest
from django.utils import timezone

from alliance.core.channels.checks import channel_settings
from alliance.core.models import NotificationDelivery
from alliance.core.notifications import deliver, notify, send_due_deliveries

pytestmark = pytest.mark.usefixtures("quiet_hours_off")

# Later than any delivery a test makes, however long after collection the test runs (the suite takes minutes).
NOW = timezone.now() + datetime.timedelta(hours=3)


def minutes(n: float) -> datetime.datetime:
    return NOW + datetime.timedelta(minutes=n)


def the_delivery() -> NotificationDelivery:
    return NotificationDelivery.objects.get(channel="sms")


def test_aliyun_sends_the_kind_s_template_with_the_signature_and_keeps_the_biz_id(aliyun, texted):
    notify(recipient=texted, key="order:42:remind", title="您的点单已超过一个工作日未受理", url="/services/orders/42/")

    assert deliver(the_delivery().pk, now=NOW) == "sent"

    [call] = aliyun.calls
    assert call["action"] == "SendSms"
    assert call["PhoneNumbers"] == texted.phone
    assert call["SignName"] == "红色联盟"
    assert call["TemplateCode"] == "SMS_200"
    assert json.loads(call["TemplateParam"]) == {
        "title": "您的点单已超过一个工作日未受理",
        "link": "https://portal.example.cn/services/orders/42/",
    }
    delivery = the_delivery()
    assert (delivery.status, delivery.attempts, delivery.provider_message_id) == ("sent", 1, "biz-1^0")


def test_aliyun_a_kind_without_its_own_template_uses_the_default_and_cuts_long_values(aliyun, texted, settings):
    settings.SMS_PARAM_MAX_LENGTH = 10
    notify(recipient=texted, key="wish:7:fulfilled", title="您的微心愿已经由共建单位认领并实现啦")

    assert deliver(the_delivery().pk, now=NOW) == "sent"

    assert aliyun.calls[0]["TemplateCode"] == "SMS_100"
    assert json.loads(aliyun.calls[0]["TemplateParam"]) == {"title": "您的微心愿已经由共…"}


def test_aliyun_a_wrong_number_fails_at_once_and_is_never_tried_again(aliyun, texted):
    aliyun.script = ["isv.MOBILE_NUMBER_ILLEGAL"]
    notify(recipient=texted, key="order:1:remind", title="提醒")

    assert deliver(the_delivery().pk, now=NOW) == "failed"
    assert send_due_deliveries(now=minutes(600)) == {}

    delivery = the_delivery()
    assert delivery.status == "failed" and "isv.MOBILE_NUMBER_ILLEGAL" in delivery.last_error
    assert len(aliyun.calls) == 1


def test_aliyun_no_template_for_the_kind_is_a_permanent_failure(aliyun, texted, settings):
    settings.SMS_TEMPLATES = {"order:remind": {"template": "SMS_200", "params": {"title": "title"}}}
    notify(recipient=texted, key="claim:3:approved", title="认领已通过")

    assert deliver(the_delivery().pk, now=NOW) == "failed"
    assert "未配置短信模板" in the_delivery().last_error
    assert aliyun.calls == []


def test_aliyun_a_rate_limit_and_a_server_error_are_retried_with_doubling_delays_then_sent_once(aliyun, texted):
    aliyun.script = ["isv.BUSINESS_LIMIT_CONTROL", ("http", 503, "ServiceUnavailable")]
    notify(recipient=texted, key="order:1:remind", title="提醒")
    pk = the_delivery().pk

    assert deliver(pk, now=NOW) == "retry"
    assert the_delivery().next_attempt_at == minutes(5)  # NotificationSettings.retry_minutes
    assert send_due_deliveries(now=minutes(4)) == {}  # not due yet
    assert send_due_deliveries(now=minutes(5)) == {"retry": 1}
    assert the_delivery().next_attempt_at == minutes(15)  # then 10 minutes: doubled
    assert send_due_deliveries(now=minutes(15)) == {"sent": 1}
    assert send_due_deliveries(now=minutes(60)) == {}
    assert deliver(pk, now=minutes(61)) == "skipped"  # a late task finds it sent

    delivery = the_delivery()
    assert (delivery.status, delivery.attempts, delivery.provider_message_id) == ("sent", 3, "biz-1^0")
    assert [c["action"] for c in aliyun.calls] == ["SendSms"] * 3
    assert aliyun.sent == 1  # the phone got one message


def test_aliyun_a_timeout_is_retried(aliyun, texted, settings):
    settings.SMS_TIMEOUT_SECONDS = 0.3
    aliyun.script = [("sleep", 1.5)]
    notify(recipient=texted, key="order:1:remind", title="提醒")

    assert deliver(the_delivery().pk, now=NOW) == "retry"
    delivery = the_delivery()
    assert delivery.status == "pending" and delivery.last_error
    assert delivery.next_attempt_at == minutes(5)


def test_aliyun_gives_up_after_the_last_attempt(aliyun, texted, quiet_hours_off):
    quiet_hours_off.max_attempts = 2
    quiet_hours_off.save()
    aliyun.script = [("http", 500, "InternalError"), ("http", 500, "InternalError")]
    notify(recipient=texted, key="order:1:remind", title="提醒")

    assert deliver(the_delivery().pk, now=NOW) == "retry"
    assert send_due_deliveries(now=minutes(5)) == {"failed": 1}
    assert send_due_deliveries(now=minutes(600)) == {}
    assert the_delivery().status == "failed" and len(aliyun.calls) == 2


def test_a_registration_code_goes_through_its_own_template(aliyun, db):
    from members.actions import request_register_code  # the members app sits above the kernel tested here

    request_register_code(phone="13912345678")

    [call] = aliyun.calls
    assert call["TemplateCode"] == "SMS_300"
    params = json.loads(call["TemplateParam"])
    assert len(params["code"]) == 6 and params["minutes"] == "10"


def test_tencent_sends_the_template_parameters_in_order_and_keeps_the_serial_number(tencent, texted):
    notify(recipient=texted, key="order:42:remind", title="您的点单待受理", url="/services/orders/42/")

    assert deliver(the_delivery().pk, now=NOW) == "sent"

    [call] = tencent.calls
    assert call["action"] == "SendSms"
    assert call["PhoneNumberSet"] == [f"+86{texted.phone}"]
    assert (call["SmsSdkAppId"], call["SignName"], call["TemplateId"]) == ("1400000001", "红色联盟", "SMS_200")
    assert call["TemplateParamSet"] == ["您的点单待受理", "https://portal.example.cn/services/orders/42/"]
    assert the_delivery().provider_message_id == "serial-1"


def test_tencent_a_refused_number_fails_at_once(tencent, texted):
    tencent.script = [("status", "InvalidParameterValue.IncorrectPhoneNumber")]
    notify(recipient=texted, key="order:1:remind", title="提醒")

    assert deliver(the_delivery().pk, now=NOW) == "failed"
    assert send_due_deliveries(now=minutes(600)) == {}
    assert "IncorrectPhoneNumber" in the_delivery().last_error and len(tencent.calls) == 1


def test_tencent_a_daily_limit_and_an_internal_error_are_retried_then_sent_once(tencent, texted):
    tencent.script = [("status", "LimitExceeded.PhoneNumberDailyLimit"), ("error", "InternalError.Timeout")]
    notify(recipient=texted, key="order:1:remind", title="提醒")

    assert deliver(the_delivery().pk, now=NOW) == "retry"
    assert send_due_deliveries(now=minutes(5)) == {"retry": 1}
    assert send_due_deliveries(now=minutes(15)) == {"sent": 1}
    assert send_due_deliveries(now=minutes(60)) == {}
    assert (the_delivery().status, the_delivery().attempts) == ("sent", 3)
    assert tencent.sent == 1


def test_tencent_a_timeout_is_retried(tencent, texted, settings):
    settings.SMS_TIMEOUT_SECONDS = 0.3
    tencent.script = [("sleep", 1.5)]
    notify(recipient=texted, key="order:1:remind", title="提醒")

    assert deliver(the_delivery().pk, now=NOW) == "retry"
    assert the_delivery().status == "pending"


def test_a_wrong_secret_is_refused_by_the_fake_as_by_the_provider(tencent, texted, settings):
    settings.SMS_ACCESS_KEY_SECRET = "not-the-secret"
    notify(recipient=texted, key="order:1:remind", title="提醒")

    assert deliver(the_delivery().pk, now=NOW) == "retry"
    assert "AuthFailure.SignatureFailure" in the_delivery().last_error and tencent.sent == 0


def test_a_provider_without_keys_or_templates_is_reported_at_start(settings):
    settings.SMS_SENDER = "alliance.core.channels.sms.TencentSmsSender"
    settings.SMS_ACCESS_KEY_ID = settings.SMS_SDK_APP_ID = ""
    settings.SMS_TEMPLATES = {"default": {"params": {}}}
    ids = {p.id for p in channel_settings()}
    assert ids == {"channels.W001", "channels.W003", "channels.E002"}
    settings.SMS_SENDER = "alliance.core.senders.ConsoleSender"
    settings.SMS_TEMPLATES = {}
    assert channel_settings() == []
