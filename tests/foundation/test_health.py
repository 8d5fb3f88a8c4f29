import json

import pytest
from django.urls import reverse

from alliance.celery import app


@pytest.mark.worker
def test_healthz_is_200_with_database_broker_and_a_live_worker(client, celery_worker):
    response = client.get(reverse("healthz"))

    body = json.loads(response.content)
    assert response.status_code == 200, body
    assert body["status"] == "ok" and body["down"] == []
    assert all(check["ok"] for check in body["checks"].values())
    assert body["broker"] == "redis"


def test_healthz_is_503_naming_the_worker_when_none_runs(client, transactional_db, monkeypatch):
    monkeypatch.setattr("alliance.health.WORKER_TIMEOUT", 1.0)

    response = client.get(reverse("healthz"))

    body = json.loads(response.content)
    assert response.status_code == 503
    assert body["down"] == ["worker"]
    assert "no worker answered" in body["checks"]["worker"]["error"]


def test_healthz_is_503_naming_the_broker_when_it_is_unreachable(client, transactional_db):
    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = client.get(reverse("healthz"))
    finally:
        # Only the health check's own connection used the bad URL; the producer pool never did.
        app.conf.broker_url = original

    body = json.loads(response.content)
    assert response.status_code == 503
    assert "broker" in body["down"]
    assert body["checks"]["database"]["ok"] is True
