"""Heavy reads on a streaming replica (``REPLICA_DATABASE_URL``), chosen explicitly where they start.

Nothing goes to the replica by itself: the statistics pages, the dashboards, the Excel exports and the fills of
the public caches enter ``reading_from_replica()`` (or call ``on_replica(fn)`` / decorate with
``@reads_from_replica``), and ``ReplicaRouter`` sends the reads made inside to the ``"replica"`` alias. Every
write goes to the primary (``db_for_write``), and migrations run only there.

Inside a block the primary is still used when

- the person wrote a moment ago (read-your-writes): ``ReadYourWritesMiddleware`` marks the browser with a signed
  cookie for ``REPLICA_PIN_SECONDS`` after a successful unsafe request or any write a request made, and reads of
  a request that wrote stay on the primary for the rest of it;
- a transaction is open on the primary (its own rows are not on the replica, and ``select_for_update`` cannot
  run on a standby);
- the replica is down, promoted or lagging more than ``REPLICA_MAX_LAG`` seconds: measured at most every
  ``REPLICA_CHECK_INTERVAL`` seconds per process (``replica_state``), kept in memory in between;
- the model is a session's (a signed-out or signed-in state must never be read stale).

``on_replica`` also survives a replica that dies under it: a database error with the replica found down on a
fresh check runs the function again on the primary (the functions are read-only by construction).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.template.response import SimpleTemplateResponse
from rest_framework.response import Response as ApiResponse

log = logging.getLogger(__name__)

REPLICA = "replica"
PIN_COOKIE = "primary_pin"
_PIN_SALT = "alliance.core.replica.pin"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "MERGE", "TRUNCA", "COPY")
# Models always read from the primary, whatever block they are read in.
PRIMARY_ONLY_APPS = frozenset({"sessions"})

T = TypeVar("T")


def configured() -> bool:
    return REPLICA in settings.DATABASES


def max_lag() -> float:
    return float(getattr(settings, "REPLICA_MAX_LAG", 5.0))


def check_interval() -> float:
    return float(getattr(settings, "REPLICA_CHECK_INTERVAL", 2.0))


def pin_seconds() -> int:
    return int(getattr(settings, "REPLICA_PIN_SECONDS", 5))


# The health of the replica, per process ------------------------------------------------------------------

# One query answers all three: still a standby, still streaming, and how far behind. Caught up (received ==
# replayed) is no lag whatever the age of the last transaction (an idle primary sends none); behind, the lag is
# the age of the last transaction replayed.
LAG_SQL = """
SELECT pg_is_in_recovery(),
       pg_last_wal_receive_lsn() IS NOT NULL,
       CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()) END
"""


@dataclass
class ReplicaState:
    state: str = "unknown"  # ok, lagging, down, not_standby, off
    lag: float | None = None
    error: str = ""
    checked_at: float = field(default=-1e18)  # time.monotonic() of the check

    @property
    def usable(self) -> bool:
        return self.state == "ok"


_state = ReplicaState()


def _measure() -> ReplicaState:
    connection = connections[REPLICA]
    for attempt in (1, 2):  # a kept connection the replica dropped (a restart) fails once: reconnect and retry
        try:
            with connection.cursor() as cursor:
                cursor.execute(LAG_SQL)
                in_recovery, streaming, lag = cursor.fetchone()
            break
        except (OperationalError, InterfaceError) as exc:
            with contextlib.suppress(Exception):
                connection.close()
            if attempt == 2:
                return ReplicaState("down", error=f"{type(exc).__name__}: {exc}".strip()[:300])
    if not in_recovery:  # promoted: a primary of its own that no longer follows ours
        return ReplicaState("not_standby", error="pg_is_in_recovery() is false")
    if not streaming:
        return ReplicaState("lagging", error="no WAL received from the primary (not streaming)")
    lag = float(lag) if lag is not None else float("inf")  # behind, and nothing replayed since it started
    return ReplicaState("ok" if lag <= max_lag() else "lagging", lag=lag)


def replica_state(*, force: bool = False) -> ReplicaState:
    """The replica's health, measured again when older than ``REPLICA_CHECK_INTERVAL`` (or ``force``)."""
    global _state
    if not configured():
        return ReplicaState("off")
    now = time.monotonic()
    if force or now - _state.checked_at >= check_interval():
        measured = _measure()
        measured.checked_at = now
        if measured.state != _state.state:
            log.warning("replica %s -> %s %s", _state.state, measured.state, measured.error)
        _state = measured
    return _state


def settled(changed_at: float | None) -> bool:
    """Whether a change made at ``changed_at`` (``time.time()``) is on the replica by now.

    A check passed with a lag of at most ``REPLICA_MAX_LAG`` is trusted for ``REPLICA_CHECK_INTERVAL`` more
    seconds, in which replay may have stood still: a change older than both together has been replayed."""
    return changed_at is None or time.time() - changed_at > max_lag() + check_interval()


# Who reads where ---------------------------------------------------------------------------------------------


@dataclass
class _RequestState:
    pinned: bool = False  # the person wrote within REPLICA_PIN_SECONDS (their cookie)
    wrote: bool = False  # this request wrote on the primary

    def spot_writes(self, execute, sql, params, many, context):
        if not self.wrote and isinstance(sql, str) and sql.lstrip()[:6].upper().startswith(_WRITE_VERBS):
            self.wrote = True
        return execute(sql, params, many, context)


_target: ContextVar[str | None] = ContextVar("alliance_replica_target", default=None)
_request: ContextVar[_RequestState | None] = ContextVar("alliance_replica_request", default=None)


def _primary_for_this_person() -> bool:
    """The person wrote a moment ago, this request wrote, or a transaction is open on the primary."""
    state = _request.get()
    if state is not None and (state.pinned or state.wrote):
        return True
    return connections[DEFAULT_DB_ALIAS].in_atomic_block


def _on_primary_now() -> bool:
    """Checked at every read of a block: what can change inside it (a write, a transaction, an outage)."""
    return _primary_for_this_person() or not _state.usable


class ReplicaRouter:
    """Reads inside ``reading_from_replica()`` go to the replica when it may serve them; everything else, every
    write and every migration, to the primary."""

    def db_for_read(self, model, **hints):
        # Never None: a row read on the replica and followed outside a block (its foreign keys) must not take
        # Django's default of the instance's own database.
        if _target.get() is None or model._meta.app_label in PRIMARY_ONLY_APPS or _on_primary_now():
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same rows on both servers

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


@contextlib.contextmanager
def reading_from_replica() -> Iterator[str | None]:
    """Reads inside go to the replica; yields its alias, or None when they stay on the primary (see above)."""
    if not configured() or _primary_for_this_person() or not replica_state().usable:
        yield None
        return
    token = _target.set(REPLICA)
    try:
        yield REPLICA
    finally:
        _target.reset(token)


@contextlib.contextmanager
def reading_from_primary() -> Iterator[None]:
    """Reads inside go to the primary, even within a ``reading_from_replica()`` block."""
    token = _target.set(None)
    try:
        yield
    finally:
        _target.reset(token)


def on_replica(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``fn(*args, **kwargs)`` with its reads on the replica; once more on the primary if the replica fails
    under it (a database error, and the replica found down on a fresh check). ``fn`` must only read."""
    with reading_from_replica() as alias:
        if alias is None:
            return fn(*args, **kwargs)
        try:
            return fn(*args, **kwargs)
        except (OperationalError, InterfaceError):
            if replica_state(force=True).usable:
                raise  # the primary's error, or the query's: not ours to hide
            log.warning("replica failed during %s: read again from the primary", getattr(fn, "__name__", fn))
    return fn(*args, **kwargs)


def _rendered(response):
    # A TemplateResponse reads its lazy context when rendered: render it while the reads are still routed. (An
    # API answer's data is read already; DRF renders it later, with the renderer it negotiates.)
    routed_later = isinstance(response, SimpleTemplateResponse) and not isinstance(response, ApiResponse)
    if routed_later and not response.is_rendered:
        response.render()
    return response


def reads_from_replica(view: Callable[..., T]) -> Callable[..., T]:
    """A read-only view (or a viewset's action) whose reads go to the replica (``on_replica``)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        for arg in args[:2]:  # the request (a view's first argument, a viewset action's second)
            user = getattr(arg, "user", None)
            if user is not None:  # the session and the account read now, from the primary
                bool(user.is_authenticated)
        return on_replica(lambda: _rendered(view(*args, **kwargs)))

    return wrapper


# Read-your-writes --------------------------------------------------------------------------------------------


class ReadYourWritesMiddleware:
    """A person who has just written reads from the primary for ``REPLICA_PIN_SECONDS`` (a signed cookie with
    its time); a request that wrote reads from the primary for the rest of it. Installed only with a replica."""

    def __init__(self, get_response):
        if not configured():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        pinned = request.get_signed_cookie(PIN_COOKIE, default=None, salt=_PIN_SALT, max_age=pin_seconds())
        state = _RequestState(pinned=pinned is not None)
        token = _request.set(state)
        try:
            with connections[DEFAULT_DB_ALIAS].execute_wrapper(state.spot_writes):
                response = self.get_response(request)
        finally:
            _request.reset(token)
        if state.wrote or (request.method not in _SAFE_METHODS and response.status_code < 400):
            response.set_signed_cookie(
                PIN_COOKIE,
                "1",
                salt=_PIN_SALT,
                max_age=pin_seconds(),
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
