"""``GET /healthz``: the database, the broker and a live worker, as JSON (and the read replica, when there is one)."""

import logging
import time

from celery.exceptions import TimeoutError as CeleryTimeout
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from alliance.celery import app
from alliance.core import replica
from alliance.core.enqueue import bounded_connection

log = logging.getLogger(__name__)

WORKER_TIMEOUT = 5.0


def check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        return f"{type(exc).__name__}: {exc}"
    return None


def check_broker() -> str | None:
    try:
        with bounded_connection(app) as conn:  # one short attempt: a down broker is reported at once
            conn.ensure_connection(max_retries=0, timeout=2)
    except Exception as exc:  # noqa: BLE001
        return f"{type(exc).__name__}: {exc}"
    return None


def check_worker() -> str | None:
    """A round trip through a worker: the ping task is taken, run and answered. Sent by name: the task
    ("alliance.ping") is the committee's, and the kernel imports no domain app."""
    try:
        result = app.send_task("alliance.ping", expires=WORKER_TIMEOUT * 2)
        answer = result.get(timeout=WORKER_TIMEOUT, interval=0.1)
        result.forget()
    except CeleryTimeout:
        return f"no worker answered within {WORKER_TIMEOUT:g}s"
    except Exception as exc:  # noqa: BLE001
        return f"{type(exc).__name__}: {exc}"
    return None if answer == "pong" else f"unexpected answer {answer!r}"


def may_see_details(request) -> bool:
    """Error texts and backends are for staff (or every caller when HEALTHZ_DETAILS is on)."""
    if getattr(settings, "HEALTHZ_DETAILS", False):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and (user.is_staff or user.is_superuser))


NOT_CHECKED = "not checked: broker or database down"


@never_cache
def healthz(request):
    """Anonymous callers learn which component is down, never the internal error text.

    ``{"status": "down", "down": ["broker"], "database": "ok", "broker": "down", "worker": "unknown"}``;
    staff (or ``HEALTHZ_DETAILS``) also get ``checks`` with each error, ``backends`` and ``seconds``.
    """
    started = time.monotonic()
    checks = {"database": check_database(), "broker": check_broker()}
    # The worker can only be reached through a working broker and database.
    checks["worker"] = check_worker() if not any(checks.values()) else NOT_CHECKED
    down = [name for name, error in checks.items() if error and error != NOT_CHECKED]
    body = {"status": "ok" if not any(checks.values()) else "down", "down": down}
    for name, error in checks.items():
        body[name] = "ok" if error is None else ("unknown" if error == NOT_CHECKED else "down")
    if may_see_details(request):
        body["checks"] = {
            name: {"ok": error is None, **({"error": error} if error else {})} for name, error in checks.items()
        }
        body["backends"] = {"broker": "redis" if settings.REDIS_URL else "filesystem", "database": connection.vendor}
        body["seconds"] = round(time.monotonic() - started, 3)
    if replica.configured():
        # Reported, never "down": without the replica its reads go to the primary (alliance.core.replica).
        state = replica.replica_state(force=True)
        body["replica"] = state.state
        if "checks" in body:
            lag = {"lag_seconds": round(state.lag, 3)} if state.lag is not None else {}
            body["checks"]["replica"] = {"ok": state.usable, **lag, **({"error": state.error} if state.error else {})}
    if down:
        log.warning("healthz: down %s: %s", down, {name: checks[name] for name in down})
    status = 200 if body["status"] == "ok" else 503
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
