"""A real worker sends a notification through each configured channel (SMS by Alibaba Cloud, WeChat), each
to its local fake provider, within seconds and exactly once, however often the sweep runs after."""

import json
import time

import pytest
from django.core.cache import cache

from alliance.celery import app
from alliance.core.models import NotificationDelivery, NotificationPreference, NotificationSettings
from alliance.core.notifications import notify
from tests.channels.conftest import SMS_TEMPLATES
from tests.channels.fakes import FakeAliyunSms, FakeWeChat
from tests.members.factories import ResidentFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def providers(monkeypatch):
    """Fake providers, and the worker's environment naming them (the worker reads settings from it)."""
    aliyun, wechat = FakeAliyunSms().start(), FakeWeChat().start()
    env = {
        "SMS_SENDER": "alliance.core.channels.sms.AliyunSmsSender",
        "SMS_ACCESS_KEY_ID": aliyun.key_id,
        "SMS_ACCESS_KEY_SECRET": aliyun.secret,
        "SMS_ENDPOINT": aliyun.url,
        "SMS_TEMPLATES": json.dumps(SMS_TEMPLATES),
        "WECHAT_SENDER": "alliance.core.channels.wechat.WeChatTemplateSender",
        "WECHAT_APP_ID": wechat.app_id,
        "WECHAT_APP_SECRET": wechat.secret,
        "WECHAT_API_BASE_URL": wechat.url + "/",
        "WECHAT_TEMPLATES": json.dumps({"default": {"template": "TPL-1", "params": {"thing1": "title"}}}),
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    yield aliyun, wechat
    aliyun.stop()
    wechat.stop()


def test_the_worker_sends_each_channel_once(providers, celery_worker, community):
    aliyun, wechat = providers
    cache.delete("wechat:wx-test_access_token")
    NotificationSettings.objects.create(quiet_start="00:00", quiet_end="00:00")
    user = ResidentFactory(grid_node=community)
    NotificationPreference.objects.create(user=user, sms=True, wechat=True, wechat_openid="openid-w")

    started = time.monotonic()
    assert notify(recipient=user, key="order:7:remind", title="您的点单待受理") is not None
    deadline = started + 20
    while NotificationDelivery.objects.filter(status="sent").count() < 2:
        assert time.monotonic() < deadline, list(NotificationDelivery.objects.values("channel", "status", "last_error"))
        time.sleep(0.2)
    assert time.monotonic() - started < 10

    app.send_task("services.send_due_notifications").get(timeout=20)
    assert aliyun.sent == 1 and [c["PhoneNumbers"] for c in aliyun.calls] == [user.phone]
    assert wechat.sent == 1 and wechat.tokens_issued == 1
    assert sorted(NotificationDelivery.objects.values_list("channel", "attempts", "provider_message_id")) == [
        ("sms", 1, "biz-1^0"),
        ("wechat", 1, "1001"),
    ]
