"""API tokens end: on password change (by whoever), deactivation, logout, and after their TTL."""

import datetime
import random

import pytest
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from members.models import User
from tests.members.factories import ResidentFactory, StreetAdminFactory

pytestmark = pytest.mark.django_db

ME = "/api/v1/orders/"  # any endpoint that needs a signed-in caller


def _address() -> str:
    return f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


def token_for(user) -> str:
    api = APIClient(REMOTE_ADDR=_address())
    response = api.post("/api/v1/auth/token/", {"username": user.username, "password": "pass-word-123"}, format="json")
    assert response.status_code == 200
    return response.json()["token"]


def call(key: str, path: str = ME, method: str = "get"):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return getattr(api, method)(path)


def test_a_token_works_until_its_owner_changes_the_password_themself(resident):
    key = token_for(resident)
    assert call(key).status_code == 200

    browser = Client()
    browser.force_login(resident)
    response = browser.post(
        "/accounts/password/",
        {"old_password": "pass-word-123", "new_password1": "shunyu-2026-new!", "new_password2": "shunyu-2026-new!"},
    )

    assert response.status_code == 302
    refused = call(key)
    assert refused.status_code == 401 and "重新登录" in refused.json()["detail"]


def test_a_token_ends_when_an_admin_sets_a_new_password(resident):
    key = token_for(resident)
    form = AdminPasswordChangeForm(resident, {"password1": "admin-set-2026!", "password2": "admin-set-2026!"})
    assert form.is_valid(), form.errors
    form.save()

    assert call(key).status_code == 401
    assert not Token.objects.filter(user=resident).exists()


def test_a_token_ends_when_the_hash_changes_by_any_save(resident):
    key = token_for(resident)
    user = User.objects.get(pk=resident.pk)
    user.set_password("another-one-2026")
    user.save(update_fields=["password"])

    assert call(key).status_code == 401


def test_saves_that_do_not_touch_the_password_keep_the_token(resident):
    key = token_for(resident)
    resident.display_name = "新名字"
    resident.save()
    resident.refresh_from_db()
    resident.save(update_fields=["display_name"])

    assert call(key).status_code == 200


def test_a_token_ends_when_the_account_is_deactivated_and_stays_dead_after_reactivation(resident):
    key = token_for(resident)
    resident.is_active = False
    resident.save(update_fields=["is_active"])
    assert call(key).status_code == 401

    resident.is_active = True
    resident.save(update_fields=["is_active"])
    assert call(key).status_code == 401
    assert not Token.objects.filter(user=resident).exists()


def test_logout_revokes_the_token_and_is_refused_without_one(resident):
    key = token_for(resident)

    assert call(key, "/api/v1/auth/logout/", "post").status_code == 204
    assert call(key).status_code == 401
    assert APIClient().post("/api/v1/auth/logout/").status_code == 401
    assert token_for(resident) != key  # signing in again gives a new token


def test_tokens_expire_after_the_configured_days(resident, settings):
    settings.API_TOKEN_TTL_DAYS = 30
    key = token_for(resident)
    Token.objects.filter(key=key).update(created=timezone.now() - datetime.timedelta(days=29, hours=23))
    assert call(key).status_code == 200

    Token.objects.filter(key=key).update(created=timezone.now() - datetime.timedelta(days=30, minutes=1))
    expired = call(key)
    assert expired.status_code == 401 and "过期" in expired.json()["detail"]

    fresh = token_for(resident)
    assert fresh != key and call(fresh).status_code == 200


def test_the_token_endpoint_replaces_an_expired_token(resident, settings):
    settings.API_TOKEN_TTL_DAYS = 7
    key = token_for(resident)
    Token.objects.filter(key=key).update(created=timezone.now() - datetime.timedelta(days=8))

    assert token_for(resident) != key


def test_one_persons_password_change_leaves_other_tokens_alone(db):
    alice, bob = ResidentFactory(), StreetAdminFactory()
    alice_key, bob_key = token_for(alice), token_for(bob)
    alice.set_password("alice-new-2026!")
    alice.save()

    assert call(alice_key).status_code == 401
    assert call(bob_key, "/api/v1/grids/").status_code == 200


def test_the_logout_endpoint_is_in_the_schema(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    logout = schema["paths"]["/api/v1/auth/logout/"]["post"]
    assert "204" in logout["responses"] and "401" in logout["responses"]
