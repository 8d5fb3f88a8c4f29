"""``GET /healthz``: the database, the broker and a live worker, as JSON."""

import logging
import time

from celery.exceptions import TimeoutError as CeleryTimeout
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from alliance.celery import app

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
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # noqa: BLE001
        return f"{type(exc).__name__}: {exc}"
    return None


def check_worker() -> str | None:
    """A round trip through a worker: the ping task is taken, run and answered."""
    from alliance.tasks import ping

    try:
        result = ping.apply_async(expires=WORKER_TIMEOUT * 2)
        answer = result.get(timeout=WORKER_TIMEOUT, interval=0.1)
        result.forget()
    except CeleryTimeout:
        return f"no worker answered within {WORKER_TIMEOUT:g}s"
    except Exception as exc:  # noqa: BLE001
        return f"{type(exc).__name__}: {exc}"
    return None if answer == "pong" else f"unexpected answer {answer!r}"


@never_cache
def healthz(request):
    started = time.monotonic()
    checks = {"database": check_database(), "broker": check_broker()}
    # The worker can only be reached through a working broker and database.
    checks["worker"] = check_worker() if not any(checks.values()) else "not checked: broker or database down"
    down = [name for name, error in checks.items() if error]
    body = {
        "status": "ok" if not down else "down",
        "down": down,
        "checks": {
            name: {"ok": error is None, **({"error": error} if error else {})} for name, error in checks.items()
        },
        "broker": "redis" if settings.REDIS_URL else "filesystem",
        "database": connection.vendor,
        "seconds": round(time.monotonic() - started, 3),
    }
    if down:
        log.warning("healthz: down %s", down)
    return JsonResponse(body, status=200 if not down else 503, json_dumps_params={"ensure_ascii": False})
