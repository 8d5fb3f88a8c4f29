"""On a phone (390×844) in the browser: bind WeChat from the preferences page through the fake WeChat's
authorisation, then sign in with WeChat from the login page."""

import pytest

from alliance.core.models import NotificationPreference
from tests.browser_support import shot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_resident_binds_wechat_and_signs_in_with_it(new_page, wechat, settings, resident):
    settings.SITE_URL = ""  # WeChat comes back to the live server the browser is on

    phone = new_page(phone=True)
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

    fresh = new_page(phone=True)
    fresh.goto("/accounts/login/")
    fresh.get_by_role("link", name="微信登录").click()
    fresh.get_by_text("已通过微信登录").wait_for()
    shot(fresh, "wechat_3_signed_in_phone")
    assert "/accounts/login" not in fresh.url
