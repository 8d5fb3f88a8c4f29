"""Login throttling behind the reverse proxy: keyed on the client's address as the proxy reports it,
on (username, address) pairs, plus a limit per address across usernames (password spraying)."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.members.factories import ResidentFactory, StreetAdminFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"  # every request reaches the app from the reverse proxy
ATTACKER = "203.0.113.66"
OWNER = "198.51.100.20"


@pytest.fixture(autouse=True)
def _behind_the_proxy(settings):
    settings.RATE_LIMIT_PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_ADDRESS_FAILURE_LIMIT = 8


def via_proxy(client_address: str, forged: str = "") -> dict:
    forwarded = f"{forged}, {client_address}" if forged else client_address
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded}


def portal_login(address, username, password, forged=""):
    return Client(**via_proxy(address, forged)).post(reverse("login"), {"username": username, "password": password})


def admin_login(address, username, password):
    return Client(**via_proxy(address)).post(
        "/admin/login/", {"username": username, "password": password, "next": "/admin/"}
    )


def token_login(address, username, password):
    return APIClient(**via_proxy(address)).post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json"
    )


def test_a_stranger_cannot_lock_a_resident_out_of_the_portal(resident):
    for _ in range(6):
        portal_login(ATTACKER, resident.username, "wrong")

    locked = portal_login(ATTACKER, resident.username, "pass-word-123")
    assert locked.status_code == 429 and "登录已暂时锁定" in locked.content.decode()
    assert portal_login(OWNER, resident.username, "pass-word-123").status_code == 302


def test_forging_the_forwarded_header_does_not_escape_the_lock(resident):
    for n in range(5):
        portal_login(ATTACKER, resident.username, "wrong", forged=f"1.2.3.{n}")

    assert portal_login(ATTACKER, resident.username, "pass-word-123", forged="9.9.9.9").status_code == 429


def test_a_stranger_cannot_lock_the_admin_out_of_the_admin_site(db):
    admin = StreetAdminFactory(username="street-boss")
    for _ in range(6):
        admin_login(ATTACKER, "street-boss", "wrong")

    assert admin_login(ATTACKER, admin.username, "pass-word-123").status_code == 429
    assert admin_login(OWNER, admin.username, "pass-word-123").status_code == 302


def test_a_stranger_cannot_lock_someone_out_of_the_token_endpoint(resident):
    for _ in range(6):
        token_login(ATTACKER, resident.username, "wrong")

    locked = token_login(ATTACKER, resident.username, "pass-word-123")
    assert locked.status_code == 429 and "已暂时锁定" in locked.json()["detail"]
    assert token_login(OWNER, resident.username, "pass-word-123").status_code == 200


def test_password_spraying_from_one_address_is_refused_for_every_username(db):
    victim = ResidentFactory(username="13800001111")
    for n in range(8):  # one or two tries at each of many accounts: no pair reaches its own limit
        portal_login(ATTACKER, f"1390000{n:04d}", "123456")

    assert portal_login(ATTACKER, victim.username, "pass-word-123").status_code == 429
    assert token_login(ATTACKER, victim.username, "pass-word-123").status_code == 429
    assert portal_login(OWNER, victim.username, "pass-word-123").status_code == 302


def test_without_a_trusted_proxy_the_connection_address_counts(resident, settings):
    settings.RATE_LIMIT_PROXY_COUNT = 0
    for n in range(5):
        Client(REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_FOR=f"5.5.5.{n}").post(
            reverse("login"), {"username": resident.username, "password": "wrong"}
        )

    again = Client(REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_FOR="6.6.6.6").post(
        reverse("login"), {"username": resident.username, "password": "pass-word-123"}
    )
    assert again.status_code == 429
