"""On a phone (390×844) in the browser: bind WeChat from the preferences page through the fake WeChat's
authorisation, then sign in with WeChat from the login page."""

import pytest

from alliance.core.models import NotificationPreference
from tests.browser_support import shot, sign_in
from tests.channels.test_wechat import WECHAT_UA

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def wechat_page(new_page):
    """``wechat_page()``: a phone page in WeChat's built-in browser (its user agent), own cookies."""
    return lambda: new_page(phone=True, user_agent=WECHAT_UA)


def test_a_resident_binds_wechat_and_signs_in_with_it(wechat_page, wechat, settings, resident):
    settings.SITE_URL = ""  # WeChat comes back to the live server the browser is on

    phone = wechat_page()
    sign_in(phone, resident)
    phone.goto("/services/inbox/settings/")
    phone.get_by_role("heading", name="微信").wait_for()
    shot(phone, "wechat_1_preferences_phone")
    phone.get_by_role("link", name="绑定微信").click()  # → the fake WeChat → back with a code
    phone.get_by_text("微信已绑定").wait_for()
    assert phone.get_by_role("button", name="解除绑定").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "wechat_2_bound_phone")
    assert NotificationPreference.objects.get(user=resident).wechat_openid == "openid-1"

    fresh = wechat_page()
    fresh.goto("/accounts/login/")
    fresh.get_by_role("link", name="微信登录").click()
    fresh.get_by_text("已通过微信登录").wait_for()
    shot(fresh, "wechat_3_signed_in_phone")
    assert "/accounts/login" not in fresh.url
