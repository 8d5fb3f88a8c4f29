"""Fixtures starting a local fake provider and pointing settings at it (tests/channels/fakes.py)."""

import pytest
from django.core.cache import cache

from alliance.core.models import NotificationPreference, NotificationSettings
from tests.channels.fakes import FakeAliyunSms, FakeTencentSms, FakeWeChat
from tests.members.factories import ResidentFactory

SMS_TEMPLATES = {
    "default": {"template": "SMS_100", "params": {"title": "title"}},
    "order:remind": {"template": "SMS_200", "params": {"title": "title", "link": "url"}},
    "code:register": {"template": "SMS_300", "params": {"code": "code", "minutes": "minutes"}},
}


@pytest.fixture
def quiet_hours_off(db):
    return NotificationSettings.objects.create(quiet_start="00:00", quiet_end="00:00", retry_minutes=5, max_attempts=4)


def _sms_settings(settings, server, sender, key_id, secret):
    settings.SMS_SENDER = sender
    settings.SMS_ACCESS_KEY_ID = key_id
    settings.SMS_ACCESS_KEY_SECRET = secret
    settings.SMS_ENDPOINT = server.url
    settings.SMS_SDK_APP_ID = "1400000001"
    settings.SMS_SIGN_NAME = "红色联盟"
    settings.SMS_TIMEOUT_SECONDS = 1
    settings.SMS_TEMPLATES = SMS_TEMPLATES
    settings.SITE_URL = "https://portal.example.cn"


@pytest.fixture
def aliyun(settings):
    server = FakeAliyunSms().start()
    _sms_settings(settings, server, "alliance.core.channels.sms.AliyunSmsSender", server.key_id, server.secret)
    yield server
    server.stop()


@pytest.fixture
def tencent(settings):
    server = FakeTencentSms().start()
    _sms_settings(settings, server, "alliance.core.channels.sms.TencentSmsSender", server.secret_id, server.secret_key)
    yield server
    server.stop()


@pytest.fixture
def wechat(settings):
    server = FakeWeChat().start()
    settings.WECHAT_SENDER = "alliance.core.channels.wechat.WeChatTemplateSender"
    settings.WECHAT_APP_ID = server.app_id
    settings.WECHAT_APP_SECRET = server.secret
    settings.WECHAT_API_BASE_URL = server.url + "/"
    settings.WECHAT_OAUTH_BASE_URL = server.url + "/connect/"
    settings.WECHAT_TIMEOUT_SECONDS = 1
    settings.WECHAT_TEMPLATES = {"default": {"template": "TPL-1", "params": {"thing1": "title", "thing2": "body"}}}
    settings.SITE_URL = "https://portal.example.cn"
    cache.delete_many(["wechat:wx-test_access_token"])
    yield server
    server.stop()
    cache.delete_many(["wechat:wx-test_access_token"])


@pytest.fixture
def texted(community):
    """A resident who chose SMS."""
    user = ResidentFactory(grid_node=community)
    NotificationPreference.objects.create(user=user, sms=True)
    return user
