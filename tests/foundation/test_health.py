import json

import pytest
from django.urls import reverse

from alliance.celery import app


@pytest.mark.worker
def test_healthz_is_200_with_database_broker_and_a_live_worker(client, celery_worker):
    response = client.get(reverse("healthz"))

    body = json.loads(response.content)
    assert response.status_code == 200, body
    assert body == {"status": "ok", "down": [], "database": "ok", "broker": "ok", "worker": "ok"}


def test_healthz_is_503_naming_the_worker_when_none_runs(client, transactional_db, monkeypatch):
    monkeypatch.setattr("alliance.core.health.WORKER_TIMEOUT", 1.0)

    response = client.get(reverse("healthz"))

    body = json.loads(response.content)
    assert response.status_code == 503
    assert body["down"] == ["worker"] and body["worker"] == "down"


@pytest.fixture
def unreachable_broker():
    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    yield
    # Only the health check's own connection used the bad URL; the producer pool never did.
    app.conf.broker_url = original


def test_healthz_tells_anonymous_callers_which_component_is_down_and_nothing_more(
    client, transactional_db, unreachable_broker
):
    response = client.get(reverse("healthz"))

    body = json.loads(response.content)
    assert response.status_code == 503
    assert body == {"status": "down", "down": ["broker"], "database": "ok", "broker": "down", "worker": "unknown"}
    text = response.content.decode()
    for internal in ("127.0.0.1", "Error", "redis", "postgresql", "Connection"):
        assert internal not in text


def test_healthz_gives_staff_the_error_text(client, transactional_db, unreachable_broker, street_admin):
    client.force_login(street_admin)

    body = json.loads(client.get(reverse("healthz")).content)

    assert body["broker"] == "down"
    assert body["checks"]["database"] == {"ok": True}
    assert "Error" in body["checks"]["broker"]["error"]
    assert body["backends"] == {"broker": "redis", "database": "postgresql"}


def test_healthz_details_for_everyone_when_the_setting_says_so(client, transactional_db, unreachable_broker, settings):
    settings.HEALTHZ_DETAILS = True

    body = json.loads(client.get(reverse("healthz")).content)

    assert body["down"] == ["broker"] and body["checks"]["broker"]["ok"] is False
