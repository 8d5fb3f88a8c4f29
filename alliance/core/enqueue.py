"""Enqueuing tasks after commit without ever failing, or stalling, the request that caused them.

A publish on the request path makes one attempt and fails fast: its own broker connection with a short
connect timeout (``ENQUEUE_CONNECT_TIMEOUT``) and no retries (``max_retries=0``; the default pooled
connection retries for about six seconds while the broker is unreachable). After a failure the breaker
is open: for ``ENQUEUE_PAUSE_SECONDS`` nothing is published at all, and the work is left to the periodic
sweep that exists for every enqueued task (the nightly matching finds every open need and resource).
The first write after the pause tries again (and opens the breaker again if it fails).
"""

import contextlib
import logging
import os
import threading
import time

from celery import current_app
from django.conf import settings
from django.db import transaction

log = logging.getLogger(__name__)

DEFAULT_CONNECT_TIMEOUT = 1.0
DEFAULT_PAUSE_SECONDS = 30.0

_lock = threading.Lock()
_paused_until = 0.0  # time.monotonic() before which nothing is published (per process)


def pause_seconds() -> float:
    return float(getattr(settings, "ENQUEUE_PAUSE_SECONDS", DEFAULT_PAUSE_SECONDS))


def connect_timeout() -> float:
    return float(getattr(settings, "ENQUEUE_CONNECT_TIMEOUT", DEFAULT_CONNECT_TIMEOUT))


def broker_paused() -> bool:
    return time.monotonic() < _paused_until


def trip() -> None:
    """A publish failed: publish nothing for the next ``ENQUEUE_PAUSE_SECONDS``."""
    global _paused_until
    with _lock:
        _paused_until = time.monotonic() + pause_seconds()


def reset() -> None:
    global _paused_until
    with _lock:
        _paused_until = 0.0


def bounded_connection(app):
    """A broker connection that tries once, within ``ENQUEUE_CONNECT_TIMEOUT`` (kombu's defaults retry for seconds)."""
    timeout = connect_timeout()
    options = {"max_retries": 0, "socket_connect_timeout": timeout, "socket_timeout": 2 * timeout}
    return app.connection_for_write(connect_timeout=timeout, transport_options=options)


def task_named(task):
    """The task itself, or the registered task of that name (``"projects.match_need"``).

    By name, an action enqueues a task of its own app without importing the tasks module, which imports
    the actions: no circle of imports (the layers' lint checks it).
    """
    if not isinstance(task, str):
        return task
    if task not in current_app.tasks:
        # Outside a worker the apps' tasks modules are imported on demand (Celery's autodiscovery hook).
        current_app.loader.import_default_modules()
    return current_app.tasks[task]


# The bounded connection of this process and thread, kept between publishes: a new one per publish cost a
# connect, a handshake and the queue's declaration on every write that enqueues (several round trips).
_kept = threading.local()


def _kept_connection(app):
    """This thread's bounded connection to ``app``'s broker (a new one after a fork or a change of broker)."""
    key = (os.getpid(), app.conf.broker_url)
    if getattr(_kept, "key", None) != key:
        _drop_kept()
        _kept.connection, _kept.key = bounded_connection(app), key
    return _kept.connection


def _drop_kept() -> None:
    connection = getattr(_kept, "connection", None)
    _kept.connection = _kept.key = None
    if connection is not None:
        with contextlib.suppress(Exception):
            connection.release()


def publish(task, args) -> None:
    """One attempt to send ``task(*args)``, bounded in time; raises when the broker is unreachable.

    A kept connection that fails (the broker restarted since) is dropped and the attempt made once on a new one."""
    if task.app.conf.task_always_eager:
        task.apply_async(args)
        return
    fresh = getattr(_kept, "key", None) != (os.getpid(), task.app.conf.broker_url)
    # How the message names its arguments (in the worker's log and the monitors): Celery's own ``saferepr`` of
    # them took 90 µs of a publish's 480 (our tasks take ids and short names, whose repr is short already).
    shown = {"argsrepr": repr(args)[: task.app.amqp.argsrepr_maxsize], "kwargsrepr": "{}"}
    try:
        task.apply_async(args, retry=False, connection=_kept_connection(task.app), **shown)
    except Exception:
        _drop_kept()
        if fresh:
            raise
        task.apply_async(args, retry=False, connection=_kept_connection(task.app), **shown)


def attempt(task, args, instead: str, *instead_args) -> bool:
    """One bounded publish of ``task(*args)`` unless the breaker is open. False when it is open, or when the publish
    failed: the breaker then opens and the failure is logged with ``instead % instead_args`` (what the caller does
    in its place; formatted only then)."""
    if broker_paused():
        return False
    task = task_named(task)
    try:
        publish(task, args)
    except Exception:  # any broker failure: the caller does the work another way
        trip()
        log.warning("%s: broker unavailable, " + instead, task.name, *instead_args, exc_info=True)
        return False
    return True


def enqueue_on_commit(task, *args) -> None:
    """Send ``task(*args)`` once the transaction commits (``task``: a task or its registered name).

    If the broker is down the row is already saved and the request still succeeds, quickly: the error
    is logged, later writes skip publishing for a while, and the task's periodic sweep (nightly
    matching, reminder sweeps) picks the work up.
    """

    name = task if isinstance(task, str) else task.name

    def send():
        if broker_paused():
            log.info("%s%s: broker recently unavailable, left to the periodic sweep", name, args)
            return
        attempt(task, args, "%s left to the periodic sweep; not publishing for %gs", args, pause_seconds())

    transaction.on_commit(send)
