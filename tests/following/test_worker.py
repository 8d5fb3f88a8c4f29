"""A real worker sends the weekly digest once — by e-mail and by WeChat (to the local fake WeChat) — with only the
followed areas' items, however often the job runs."""

import json
import time

import pytest
from django.core.cache import cache

from alliance.celery import app
from alliance.core.models import NotificationPreference
from alliance.following import actions
from alliance.following.models import Digest
from tests.channels.fakes import FakeWeChat
from tests.following.conftest import SECRET_NAME, SECRET_PHONE
from tests.members.factories import ResidentFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def wechat(monkeypatch):
    server = FakeWeChat().start()
    env = {
        "WECHAT_SENDER": "alliance.core.channels.wechat.WeChatTemplateSender",
        "WECHAT_APP_ID": server.app_id,
        "WECHAT_APP_SECRET": server.secret,
        "WECHAT_API_BASE_URL": server.url + "/",
        "WECHAT_TEMPLATES": json.dumps(
            {"default": {"template": "TPL-1", "params": {"thing1": "title", "thing2": "body", "link": "url"}}}
        ),
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    yield server
    server.stop()


def test_the_worker_sends_the_weekly_digest_once(wechat, celery_worker, community, other_community, items):
    cache.delete("wechat:wx-test_access_token")
    by_mail = ResidentFactory(grid_node=community, email="mail@example.cn")
    actions.follow(by=by_mail, node=community, topics=["news", "lists"], frequency="weekly", channel="email")
    by_wechat = ResidentFactory(grid_node=community)
    NotificationPreference.objects.create(user=by_wechat, wechat_openid="openid-digest")
    actions.follow(by=by_wechat, node=community, topics=["activities"], frequency="weekly", channel="wechat")
    elsewhere = ResidentFactory(grid_node=other_community, email="else@example.cn")
    actions.follow(by=elsewhere, node=other_community, topics=["activities"], frequency="weekly", channel="email")

    started = time.monotonic()
    first = app.send_task("following.send_weekly_digests").get(timeout=60)
    second = app.send_task("following.send_weekly_digests").get(timeout=60)

    assert first == {"sent": 2} and second == {}
    assert time.monotonic() - started < 60
    digests = {d.user_id: d for d in Digest.objects.all()}
    assert set(digests) == {by_mail.pk, by_wechat.pk}  # nothing happened in the other community: no digest
    assert all(d.status == "sent" for d in digests.values())
    mailed = json.dumps(digests[by_mail.pk].items, ensure_ascii=False)
    assert "舜园社区开展垃圾分类宣传" in mailed and "社区义诊项目" in mailed
    assert "舜华社区新闻" not in mailed and "重阳节敬老活动" not in mailed
    assert SECRET_NAME not in mailed and SECRET_PHONE not in mailed
    assert wechat.sent == 1
    [send] = [c for c in wechat.calls if c["path"] == "/cgi-bin/message/template/send"]
    assert send["body"]["touser"] == "openid-digest"
    assert "1条新动态" in send["body"]["data"]["thing1"]["value"]
