"""Login throttling, rate limits, the content security policy, the API docs and the API's error shapes."""

import random
import re

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.members.factories import ResidentFactory, UserFactory

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def _fresh_address() -> str:
    """A client address of its own: the counters live in the shared cache across tests."""
    return f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


# --- content security policy ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/grid/", "/accounts/login/", "/accounts/register/", "/api/docs/"])
def test_pages_carry_a_csp_without_inline_scripts(client, db, path):
    response = client.get(path)

    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    html = response.content.decode()
    assert INLINE_SCRIPT.findall(html) == []
    assert INLINE_HANDLER.findall(html) == []


def test_admin_pages_carry_the_csp_and_have_no_inline_scripts(client, superuser):
    client.force_login(superuser)

    for path in ("/admin/", "/admin/members/user/", "/admin/members/user/add/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Content-Security-Policy" in response
        assert INLINE_SCRIPT.findall(response.content.decode()) == [], path


def test_api_docs_load_only_local_assets_and_their_init_script_is_a_separate_request(client, db):
    html = client.get("/api/docs/").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)

    assert sources and all(s.startswith("/") for s in sources), sources
    script = next(s for s in sources if "script" in s)
    init = client.get(script.replace("&amp;", "&"))
    assert init.status_code == 200 and init["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in init.content.decode()


# --- login throttling -----------------------------------------------------------------------------------------


def test_five_failed_logins_lock_the_account_and_superusers_see_it_in_the_admin(db, superuser, street_admin):
    resident = ResidentFactory(username="13800001111")
    browser = Client(REMOTE_ADDR=_fresh_address())
    for _ in range(5):
        browser.post(reverse("login"), {"username": resident.username, "password": "wrong-password"})

    locked = browser.post(reverse("login"), {"username": resident.username, "password": "pass-word-123"})

    assert locked.status_code == 429
    assert "_auth_user_id" not in browser.session
    admin = Client()
    admin.force_login(superuser)
    page = admin.get("/admin/axes/accessattempt/")
    assert page.status_code == 200 and resident.username in page.content.decode()
    assert admin.get("/admin/axes/accessfailurelog/").status_code == 200
    # A technical table in English (issue 14): not for street admins.
    admin.force_login(street_admin)
    assert admin.get("/admin/axes/accessattempt/").status_code == 403


def test_community_admins_do_not_see_the_login_records(community_admin):
    admin = Client()
    admin.force_login(community_admin)

    assert admin.get("/admin/axes/accessattempt/").status_code == 403


# --- rate limits ----------------------------------------------------------------------------------------------


def test_registration_is_rate_limited_per_address_with_a_chinese_429(settings, community):
    settings.RATE_LIMITS = {"register": "2/h"}
    browser = Client(REMOTE_ADDR=_fresh_address())
    data = {"display_name": "李秀兰", "password1": "shunyu-2026!", "password2": "shunyu-2026!"}

    for _ in range(2):
        browser.post(reverse("register"), {**data, "phone": "12345"})  # refused by the form, still counted
    response = browser.post(reverse("register"), {**data, "phone": f"1391234{random.randint(1000, 9999)}"})

    assert response.status_code == 429
    assert "操作过于频繁" in response.content.decode()


def test_rate_limits_let_requests_through_when_the_cache_is_down(settings, rf, monkeypatch):
    from alliance.core import ratelimit

    settings.RATE_LIMITS = {"order": "1/h"}

    def broken(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(ratelimit.cache, "add", broken)
    request = rf.post("/api/v1/orders/")
    request.user = UserFactory.build(pk=10**9)

    assert not any(ratelimit.exceeded(request, "order") for _ in range(3))


# --- API error shapes -----------------------------------------------------------------------------------------


def test_api_errors_are_400_with_chinese_field_messages_401_403_404(resident, db):
    api = APIClient()
    assert api.get("/api/v1/orders/").status_code == 401
    api.force_authenticate(resident)

    invalid = api.post("/api/v1/issues/", {}, format="json")
    assert invalid.status_code == 400
    assert invalid.json()["title"] == ["该字段是必填项。"]
    assert api.get("/api/v1/members/").status_code == 403
    assert api.get("/api/v1/orders/999999999/").status_code == 404


def test_token_authentication_issues_a_token_for_good_credentials_only(db):
    ResidentFactory(username="13800002222")
    api = APIClient(REMOTE_ADDR=_fresh_address())

    good = api.post("/api/v1/auth/token/", {"username": "13800002222", "password": "pass-word-123"}, format="json")
    bad = api.post("/api/v1/auth/token/", {"username": "13800002222", "password": "nope"}, format="json")

    assert good.status_code == 200 and len(good.json()["token"]) == 40
    assert bad.status_code == 400
    mine = APIClient()
    mine.credentials(HTTP_AUTHORIZATION=f"Token {good.json()['token']}")
    assert mine.get("/api/v1/orders/").status_code == 200


def test_signed_out_requests_are_counted_per_client_behind_the_proxy(settings, rf):
    from alliance.core.ratelimit import client_address

    request = rf.post("/accounts/register/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9", REMOTE_ADDR="10.0.0.1")

    settings.RATE_LIMIT_PROXY_COUNT = 1
    assert client_address(request) == "203.0.113.9"  # a client cannot choose its address by a forged header
    settings.RATE_LIMIT_PROXY_COUNT = 0
    assert client_address(request) == "10.0.0.1"


def test_the_token_endpoint_is_locked_after_five_failures_too(db):
    ResidentFactory(username="13800003333")
    api = APIClient(REMOTE_ADDR=_fresh_address())
    for _ in range(5):
        api.post("/api/v1/auth/token/", {"username": "13800003333", "password": "wrong"}, format="json")

    locked = api.post("/api/v1/auth/token/", {"username": "13800003333", "password": "pass-word-123"}, format="json")

    assert locked.status_code in (400, 403, 429) and "token" not in locked.json()
