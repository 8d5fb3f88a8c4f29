"""Under ``make test`` the suite runs in parallel processes (pytest-xdist); each one must have a test database
and a Redis database of its own, or one process's cache, broker and Celery worker would serve another's tests."""

import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from tests.conftest import CONFIGURED_REDIS_URL


@pytest.mark.django_db
def test_each_parallel_process_has_its_own_database_and_redis_database():
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        pytest.skip("runs under pytest-xdist (make test)")
    assert connection.settings_dict["NAME"].endswith(f"_{worker}")
    # The cache and the broker point at the same Redis database, which the worker processes it starts inherit.
    assert settings.CACHES["default"]["LOCATION"] == settings.CELERY_BROKER_URL == os.environ["REDIS_URL"]
    from alliance.celery import app

    assert app.conf.broker_url == settings.REDIS_URL
    assert cache._cache._servers == [settings.REDIS_URL]
    # gw0 keeps the configured Redis database (db 15 by default), gw1 takes the one below it, and so on.
    configured = int(CONFIGURED_REDIS_URL.rsplit("/", 1)[1])
    assert settings.REDIS_URL.rsplit("/", 1)[1] == str((configured - int(worker[2:])) % 16)
