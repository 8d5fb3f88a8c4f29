"""WeChat against a local fake of the official account API: template messages with a cached access token,
and sign-in in the WeChat browser that binds the person's OpenID (state checked, no 500 on any input)."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alliance.core.models import NotificationDelivery, NotificationPreference
from alliance.core.notifications import deliver, notify, send_due_deliveries
from tests.members.factories import ResidentFactory

pytestmark = pytest.mark.usefixtures("quiet_hours_off")

# WeChat's built-in browser on a phone: the only one WeChat's authorisation answers.
WECHAT_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 MicroMessenger/8.0.50"


@pytest.fixture
def client():
    """The pages opened in WeChat's browser (pytest-django's client, with WeChat's user agent)."""
    return Client(headers={"User-Agent": WECHAT_UA})


# Later than any delivery a test makes, however long after collection the test runs (the suite takes minutes).
NOW = timezone.now() + datetime.timedelta(hours=3)


def follower(community, openid="openid-9"):
    user = ResidentFactory(grid_node=community)
    NotificationPreference.objects.create(user=user, wechat=True, wechat_openid=openid)
    return user


def wechat_delivery() -> NotificationDelivery:
    return NotificationDelivery.objects.get(channel="wechat")


# --- template messages ------------------------------------------------------------------------------------


def test_template_messages_fetch_the_token_once_and_send_the_kind_s_template(wechat, community):
    first, second = follower(community, "openid-a"), follower(community, "openid-b")
    notify(
        recipient=first, key="order:1:remind", title="您的点单待受理", body="社区助老理发", url="/services/orders/1/"
    )
    notify(recipient=second, key="order:2:remind", title="您的点单待受理", body="上门维修")

    assert send_due_deliveries(now=NOW) == {"sent": 2}

    assert wechat.tokens_issued == 1  # the second message used the cached token
    sends = [c for c in wechat.calls if c["path"] == "/cgi-bin/message/template/send"]
    assert [s["body"]["touser"] for s in sends] == ["openid-a", "openid-b"]
    assert sends[0]["body"]["template_id"] == "TPL-1"
    assert sends[0]["body"]["data"] == {"thing1": {"value": "您的点单待受理"}, "thing2": {"value": "社区助老理发"}}
    assert sends[0]["body"]["url"] == "https://portal.example.cn/services/orders/1/"
    assert sorted(NotificationDelivery.objects.values_list("provider_message_id", flat=True)) == ["1001", "1002"]


def test_the_token_is_shared_through_the_cache_and_fetched_again_when_wechat_refuses_it(wechat, community):
    user = follower(community)
    notify(recipient=user, key="order:1:remind", title="提醒")
    notify(recipient=user, key="order:2:remind", title="提醒")
    first, later = NotificationDelivery.objects.order_by("pk")
    assert deliver(first.pk, now=NOW) == "sent"
    assert cache.get("wechat:wx-test_access_token") == "token-1"

    wechat.token = "rotated-elsewhere"  # WeChat invalidated the cached token (errcode 40001)
    assert deliver(later.pk, now=NOW) == "sent"
    assert wechat.tokens_issued == 2 and wechat.sent == 2


def test_an_unfollowed_account_fails_at_once(wechat, community):
    wechat.script = [43004]  # require subscribe
    notify(recipient=follower(community), key="order:1:remind", title="提醒")

    assert deliver(wechat_delivery().pk, now=NOW) == "failed"
    assert send_due_deliveries(now=NOW + datetime.timedelta(hours=10)) == {}
    assert "43004" in wechat_delivery().last_error


def test_a_busy_wechat_and_a_timeout_are_retried_then_sent_once(wechat, community, settings):
    settings.WECHAT_TIMEOUT_SECONDS = 0.3
    wechat.script = [-1, ("sleep", 1.5)]  # system busy, then too slow
    notify(recipient=follower(community), key="order:1:remind", title="提醒")

    assert deliver(wechat_delivery().pk, now=NOW) == "retry"
    assert send_due_deliveries(now=NOW + datetime.timedelta(minutes=5)) == {"retry": 1}
    assert send_due_deliveries(now=NOW + datetime.timedelta(minutes=15)) == {"sent": 1}
    assert send_due_deliveries(now=NOW + datetime.timedelta(minutes=60)) == {}
    delivery = wechat_delivery()
    assert (delivery.status, delivery.attempts) == ("sent", 3)
    assert wechat.sent == 1


# --- sign-in and binding ----------------------------------------------------------------------------------


def authorize(client, wechat, start_url):
    """Follow /channels/wechat/login/ to the fake WeChat, which answers with the callback's address."""
    r = client.get(start_url)
    assert r.status_code == 302
    to_wechat = urlsplit(r["Location"])
    assert r["Location"].startswith(wechat.url + "/connect/oauth2/authorize?")
    assert parse_qs(to_wechat.query)["scope"] == ["snsapi_base"]
    back = requests.get(r["Location"], allow_redirects=False, timeout=5)  # the browser at WeChat
    assert back.status_code == 302
    callback = urlsplit(back.headers["Location"])
    assert callback.path == reverse("channels:wechat-callback")
    return f"{callback.path}?{callback.query}"


def test_a_signed_in_person_binds_their_wechat_and_can_sign_in_with_it_later(client, wechat, community):
    user = ResidentFactory(grid_node=community)
    client.force_login(user)
    prefs = reverse("services:notification_preferences")
    assert "绑定微信" in client.get(prefs).content.decode()

    callback = authorize(client, wechat, reverse("channels:wechat-login") + f"?next={prefs}")
    r = client.get(callback)

    assert r.status_code == 302 and r["Location"] == prefs
    preference = NotificationPreference.objects.get(user=user)
    assert (preference.wechat_openid, preference.wechat) == ("openid-1", True)
    assert "已绑定微信" in client.get(prefs).content.decode()

    client.logout()
    callback = authorize(client, wechat, reverse("channels:wechat-login"))
    r = client.get(callback)
    assert r.status_code == 302
    assert client.get(reverse("services:notification_preferences")).status_code == 200
    assert int(client.session["_auth_user_id"]) == user.pk


def test_an_unbound_wechat_does_not_sign_anyone_in(client, wechat, community):
    callback = authorize(client, wechat, reverse("channels:wechat-login"))
    r = client.get(callback)
    assert r.status_code == 302 and r["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_a_wechat_bound_to_another_account_is_refused(client, wechat, community):
    follower(community, openid="openid-1")  # what the fake hands out first
    client.force_login(ResidentFactory(grid_node=community))
    r = client.get(authorize(client, wechat, reverse("channels:wechat-login")))
    assert r.status_code == 409 and "已绑定其他账号" in r.content.decode()


def test_a_state_that_is_not_the_session_s_is_refused(client, wechat, community):
    user = ResidentFactory(grid_node=community)
    client.force_login(user)
    callback = authorize(client, wechat, reverse("channels:wechat-login"))
    forged = callback.replace("state=", "state=x")
    r = client.get(forged)
    assert r.status_code == 400 and "授权已失效" in r.content.decode()
    # The state was one use: the genuine answer coming after is refused too.
    assert client.get(callback).status_code == 400
    assert not NotificationPreference.objects.filter(user=user).exclude(wechat_openid="").exists()


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?code=",
        "?state=abc",
        "?code=abc",
        "?code=abc&state=" + "s" * 500,
        "?code=" + "c" * 5000 + "&state=abc",
        "?code=%00&state=%00",
        "?code=a&code=b&state=c",
        "?code=\u200b&state=\u200b",
    ],
)
def test_no_callback_input_gives_a_server_error(client, wechat, community, query):
    client.force_login(ResidentFactory(grid_node=community))
    client.get(reverse("channels:wechat-login"))  # a state is waiting in the session
    r = client.get(reverse("channels:wechat-callback") + query)
    assert r.status_code == 400
    assert "微信" in r.content.decode() or "授权" in r.content.decode()


def test_a_code_wechat_does_not_know_is_refused_without_binding(client, wechat, community):
    user = ResidentFactory(grid_node=community)
    client.force_login(user)
    callback = authorize(client, wechat, reverse("channels:wechat-login"))
    wechat.codes.clear()  # expired at WeChat
    r = client.get(callback)
    assert r.status_code == 502 and "微信授权失败" in r.content.decode()
    assert not NotificationPreference.objects.filter(user=user).exclude(wechat_openid="").exists()


def test_an_unsafe_next_is_dropped(client, wechat, community):
    user = ResidentFactory(grid_node=community)
    client.force_login(user)
    callback = authorize(client, wechat, reverse("channels:wechat-login") + "?next=https://evil.example.com/")
    r = client.get(callback)
    assert r["Location"] == reverse("services:notification_preferences")


def test_without_an_official_account_the_pages_say_so(client, settings, community):
    settings.WECHAT_APP_ID = ""
    client.force_login(ResidentFactory(grid_node=community))
    r = client.get(reverse("channels:wechat-login"))
    assert r.status_code == 404 and "尚未开通微信登录" in r.content.decode()
    page = client.get(reverse("services:notification_preferences")).content.decode()
    assert reverse("channels:wechat-login") not in page and "尚未开通微信公众号消息" in page


def test_the_person_unbinds_and_the_openid_is_no_longer_typed_on_the_page(client, wechat, community):
    user = follower(community)
    client.force_login(user)
    page = client.get(reverse("services:notification_preferences")).content.decode()
    assert 'name="wechat_openid"' not in page and "解除绑定" in page
    r = client.post(reverse("channels:wechat-unbind"))
    assert r.status_code == 302
    preference = NotificationPreference.objects.get(user=user)
    assert (preference.wechat_openid, preference.wechat) == ("", False)


def test_wechat_cannot_be_chosen_before_binding(client, community):
    user = ResidentFactory(grid_node=community)
    client.force_login(user)
    r = client.post(reverse("services:notification_preferences"), {"wechat": "on"})
    assert r.status_code == 200 and "请先绑定微信" in r.content.decode()


def test_staff_clear_a_binding_in_their_subtree_only(client, community, other_community, community_admin):
    mine, theirs = follower(community, "openid-m"), follower(other_community, "openid-t")
    client.force_login(community_admin)
    mine_pref, theirs_pref = mine.notification_preference, theirs.notification_preference
    url = reverse("admin:core_notificationpreference_change", args=[mine_pref.pk])
    page = client.get(url).content.decode()
    assert "解除微信绑定" in page and 'name="wechat_openid"' not in page

    transition = reverse("admin:core_notificationpreference_transition", args=[mine_pref.pk, "unbind_wechat"])
    r = client.post(transition, {"confirm": "yes"})
    assert r.status_code == 302
    mine_pref.refresh_from_db()
    assert mine_pref.wechat_openid == "" and not mine_pref.wechat

    other = reverse("admin:core_notificationpreference_change", args=[theirs_pref.pk])
    assert client.get(other).status_code in (302, 404)
    theirs_pref.refresh_from_db()
    assert theirs_pref.wechat_openid == "openid-t"


def test_the_login_page_offers_wechat_sign_in_in_wechat_with_an_official_account(client, wechat, settings):
    page = client.get(reverse("login") + "?next=/services/").content.decode()
    assert "微信登录" in page and reverse("channels:wechat-login") + "?next=/services/" in page
    assert reverse("channels:wechat-login") not in Client().get(reverse("login")).content.decode()  # not in WeChat
    settings.WECHAT_APP_ID = ""
    assert reverse("channels:wechat-login") not in client.get(reverse("login")).content.decode()


def test_outside_wechat_the_page_says_to_open_it_in_wechat(wechat, community):
    browser = Client()  # a desktop browser: WeChat's authorisation would not answer it
    browser.force_login(ResidentFactory(grid_node=community))
    page = browser.get(reverse("services:notification_preferences")).content.decode()
    assert "请在微信中打开本页" in page and reverse("channels:wechat-login") not in page


def test_an_erased_resident_leaves_no_openid_behind(client, wechat, community):
    user = follower(community, "openid-gone")
    client.force_login(user)
    assert client.post("/accounts/privacy/erase/", {"confirm": "yes"}).status_code == 302
    assert not NotificationPreference.objects.filter(wechat_openid="openid-gone").exists()
    assert not NotificationPreference.history.filter(wechat_openid="openid-gone").exists()


def test_staff_cannot_change_a_person_s_channels_in_the_admin(client, community, community_admin):
    user = follower(community, "openid-s")
    preference = user.notification_preference
    client.force_login(community_admin)
    url = reverse("admin:core_notificationpreference_change", args=[preference.pk])
    page = client.get(url).content.decode()
    assert 'name="_save"' not in page
    r = client.post(url, {"email": "on", "sms": "on", "wechat_openid": "typed-by-hand"})
    assert r.status_code in (200, 302, 403)
    preference.refresh_from_db()
    assert (preference.email, preference.sms, preference.wechat_openid) == (False, False, "openid-s")
