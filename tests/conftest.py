"""Shared fixtures: users of every role, a small grid, and a real Celery worker process."""

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

# One Playwright browser for the whole session, shared by every browser test (two would clash).
from tests.browser_support import browser, desktop_page, new_page, phone_page  # noqa: F401
from tests.grids.factories import CommunityFactory, MicroGridFactory, StreetFactory
from tests.members.factories import (
    CommunityAdminFactory,
    GridWorkerFactory,
    MemberUnitFactory,
    ResidentFactory,
    StreetAdminFactory,
    UnitOperatorFactory,
    UserFactory,
)

ROOT = Path(__file__).resolve().parent.parent


def _own_redis_database_per_xdist_worker() -> None:
    """``make test`` runs the suite in parallel (pytest-xdist, one process per core). pytest-django gives each
    process its own test database (``test_gw0``, ``test_gw1``); here each also gets its own Redis database
    (the configured one for ``gw0``, the one below it for ``gw1``, …), so the cache, the broker and the real
    Celery worker a test starts (it inherits ``REDIS_URL``) never see another process's data or tasks.
    Runs when this file is imported: after Django's settings are read, before the cache or broker is used."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw") or not worker[2:].isdigit() or not settings.REDIS_URL:
        return
    parts = urlsplit(CONFIGURED_REDIS_URL)
    configured = int(parts.path.strip("/") or 0)
    url = urlunsplit(parts._replace(path=f"/{(configured - int(worker[2:])) % 16}"))
    os.environ["REDIS_URL"] = url
    settings.REDIS_URL = settings.CELERY_BROKER_URL = url
    settings.CACHES["default"]["LOCATION"] = url
    from alliance.celery import app

    app.conf.broker_url = url


def _empty_redis_database() -> None:
    """The test Redis database starts empty: a run must not meet the rate-limit counters a previous run left
    there within the hour (each run's test database numbers its accounts from 1 again)."""
    if settings.REDIS_URL:
        import redis

        with contextlib.suppress(redis.RedisError):  # Redis is down: the tests that need it say so
            redis.Redis.from_url(settings.REDIS_URL).flushdb()


CONFIGURED_REDIS_URL = settings.REDIS_URL
_own_redis_database_per_xdist_worker()
_empty_redis_database()


def pytest_collection_modifyitems(items) -> None:
    """The files of tests marked ``slow`` first (among them the minutes-long ones: migrations walked back and forth,
    private servers started). ``make test`` hands whole files to its workers in this order (``--dist loadfile
    --no-loadscope-reorder``): each slow file runs beside the quick ones, where xdist's own order (the files with
    most tests first) left the one-test migration files to the end, one worker running them while the other
    waited."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)  # a stable sort: each file keeps its order


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Pages, figures and API lists are cached across requests (alliance.core.cache); each test sees its own data.

    So does the process's copy of the categories (projects.categories, re-read after a minute): kept from an
    earlier test, it named that test's categories, and a test's count of queries depended on whether a test had
    read it shortly before. A test that counts the queries of a warm process reads it first."""
    from alliance.core.cache import forget_all
    from projects import categories

    forget_all()
    categories.forget()


@pytest.fixture(autouse=True)
def _language_of_the_site():
    """Each test starts in Chinese: a request in English leaves its thread's language active (Django's
    LocaleMiddleware activates and never resets), so the next test's actions would answer in English."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _enqueue_breaker_closed():
    """A broker failure in one test must not keep the next test from publishing (alliance.core.enqueue)."""
    from alliance.core import enqueue

    enqueue.reset()


@pytest.fixture(autouse=True)
def _events_after_commit(monkeypatch):
    """Domain events are heard after commit (alliance.core.events). A test inside one transaction never
    commits, so here an event is heard when the outermost block of the action that sent it ends, as on a
    real commit, and is dropped when that block rolls back. Tests with ``transactional_db`` commit for real."""
    from django.db import transaction
    from django.db.transaction import Atomic

    from alliance.core import events

    pending = []  # (how many of the code's own blocks were open when it was sent, callback)

    def own_depth(connection):
        return sum(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)

    def after_commit(callback):
        connection = transaction.get_connection()
        if not any(getattr(block, "_from_testcase", False) for block in connection.atomic_blocks):
            transaction.on_commit(callback)
        elif own_depth(connection) == 0:
            callback()
        else:
            pending.append((own_depth(connection), callback))

    original_exit = Atomic.__exit__

    def exit_block(self, exc_type, exc_value, traceback):
        depth = own_depth(transaction.get_connection(self.using))
        result = original_exit(self, exc_type, exc_value, traceback)
        if pending and not getattr(self, "_from_testcase", False):
            if exc_type is not None:
                pending[:] = [(d, callback) for d, callback in pending if d < depth]
            elif depth <= 1:
                ready = [callback for _, callback in pending]
                pending.clear()
                for callback in ready:
                    callback()
            else:
                pending[:] = [(min(d, depth - 1), callback) for d, callback in pending]
        return result

    monkeypatch.setattr(Atomic, "__exit__", exit_block)
    monkeypatch.setattr(events, "_after_commit", after_commit)


@pytest.fixture(autouse=True)
def _receivers_in_the_test(request, monkeypatch):
    """Receivers declared ``in_worker`` (the dispatch of orders, issues and claims: alliance.core.events) run at
    once in tests without a worker, as they do when the broker is down; in tests marked ``worker`` the worker runs
    them."""
    from alliance.core import events, linger

    if request.node.get_closest_marker("worker") is None:
        monkeypatch.setattr(events, "IN_WORKER", False)
    # Nor do they linger as the web process does (alliance.core.linger), even in a process that imported
    # alliance.wsgi (the API's fuzzing calls it): a test that means to turn it on does so itself.
    monkeypatch.setattr(linger, "_linger", None)


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    """Rate-limit counters (alliance.core.ratelimit) live in the shared cache across tests; tests/security turns them on."""
    settings.RATE_LIMITS = {}


@pytest.fixture
def sms(settings):
    """Text messages are recorded instead of sent: the list of what went out (tests/accounts/sms.py)."""
    from tests.accounts.sms import RecordingSender

    settings.SMS_SENDER = "tests.accounts.sms.RecordingSender"
    RecordingSender.sent = []
    return RecordingSender.sent


@pytest.fixture
def street(db):
    return StreetFactory(name="舜玉路街道")


@pytest.fixture
def community(street):
    return CommunityFactory(parent=street, name="舜园社区")


@pytest.fixture
def other_community(street):
    return CommunityFactory(parent=street, name="舜华社区")


@pytest.fixture
def micro_grid(community):
    return MicroGridFactory(parent=community, name="舜园3号楼微网格")


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True)


@pytest.fixture
def street_admin(street):
    return StreetAdminFactory(grid_node=street)


@pytest.fixture
def community_admin(community):
    return CommunityAdminFactory(grid_node=community)


@pytest.fixture
def other_community_admin(other_community):
    return CommunityAdminFactory(grid_node=other_community)


@pytest.fixture
def grid_worker(community):
    return GridWorkerFactory(grid_node=community)


@pytest.fixture
def unit(community):
    return MemberUnitFactory(grid_node=community)


@pytest.fixture
def unit_operator(unit):
    return UnitOperatorFactory(unit=unit, grid_node=unit.grid_node)


@pytest.fixture
def resident(community):
    return ResidentFactory(grid_node=community)


def _database_url_for_subprocess() -> str:
    """The URL of the database the tests use now (the test database, not the configured one)."""
    from django.db import connection

    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] or ""
    if s["PASSWORD"]:
        auth += f":{s['PASSWORD']}"
    host = s["HOST"] or "127.0.0.1"
    port = s["PORT"] or 5432
    return f"postgres://{auth}@{host}:{port}/{s['NAME']}"


def worker_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env["DATABASE_URL"] = _database_url_for_subprocess()
    env["DJANGO_SETTINGS_MODULE"] = "alliance.settings"
    env["PYTHONUNBUFFERED"] = "1"
    return env


def start_worker_process(log_path: Path, name: str = "test") -> subprocess.Popen:
    """A real Celery worker (solo pool) on the test database and the test broker."""
    log = open(log_path, "ab")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "alliance",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"{name}@%h",
        ],
        cwd=ROOT,
        env=worker_env(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def wait_for_worker(timeout: float = 30.0) -> None:
    from alliance.core.health import check_worker

    deadline = time.monotonic() + timeout
    error = None
    while time.monotonic() < deadline:
        error = check_worker()
        if error is None:
            return
        time.sleep(0.3)
    raise RuntimeError(f"the Celery worker did not answer: {error}")


def purge_broker() -> None:
    from alliance.celery import app

    with app.connection_for_write() as conn:
        app.control.purge(connection=conn)


@pytest.fixture
def celery_worker(transactional_db, tmp_path_factory):
    """A real worker process taking tasks from the real broker; tests using it must commit their data."""
    if not settings.REDIS_URL:
        pytest.skip("the worker tests run against Redis (set REDIS_URL)")
    purge_broker()
    log_path = tmp_path_factory.mktemp("worker") / "worker.log"
    process = start_worker_process(log_path)
    try:
        wait_for_worker()
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        # Close this process's connections so the flush after the test is not blocked.
        from django.db import connections

        connections.close_all()
