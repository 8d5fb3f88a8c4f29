"""The write ceiling of the bench (alliance.site.bench_writes): mounted only with BENCH_CEILINGS=1, signed in by an
API token like the API, one row per request in the admin log, which no object's history shows."""

import importlib.util
import sys

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import clear_url_caches
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from alliance.site.bench_writes import BENCH_REPR
from tests.members.factories import ResidentFactory

URLS = "alliance.urls"


@pytest.fixture
def bench_urls(monkeypatch, settings):
    """The site's URLconf as a server started with BENCH_CEILINGS=1 builds it (read afresh under another name)."""
    monkeypatch.setenv("BENCH_CEILINGS", "1")
    spec = importlib.util.find_spec(URLS)
    module = importlib.util.module_from_spec(spec)
    name = "tests_bench_ceiling_urls"
    monkeypatch.setitem(sys.modules, name, module)
    spec.loader.exec_module(module)
    settings.ROOT_URLCONF = name
    clear_url_caches()
    yield
    clear_url_caches()


@pytest.fixture
def token_client(db):
    user = ResidentFactory()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client, user


def test_without_bench_ceilings_there_is_no_write_ceiling(token_client):
    client, _user = token_client
    assert client.post("/bench/write/", {"text": "x"}, format="json").status_code == 404
    assert not LogEntry.objects.exists()


def test_with_bench_ceilings_a_token_writes_one_row(bench_urls, token_client):
    client, user = token_client
    response = client.post("/bench/write/", {"text": "ceiling 1"}, format="json")
    assert response.status_code == 201
    entry = LogEntry.objects.get()
    assert response.json() == {"id": entry.pk, "text": "ceiling 1"}
    assert (entry.user, entry.object_repr, entry.content_type) == (user, BENCH_REPR, None)


def test_the_write_ceiling_refuses_the_signed_out_and_a_bad_body(bench_urls, token_client):
    client, _user = token_client
    assert APIClient().post("/bench/write/", {"text": "x"}, format="json").status_code == 401
    assert client.post("/bench/write/", {}, format="json").status_code == 400
    assert not LogEntry.objects.exists()
