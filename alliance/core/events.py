"""Domain events: what happened in one app, heard by the apps above it after the transaction commits.

An app with news for others declares it as a Django ``Signal`` in its own ``events.py`` (what it sends
is documented beside it) and sends it from inside its action with ``send_on_commit``. Receivers live in
the listening app's ``handlers.py`` (imported at start-up by ``CoreConfig.ready``), so a lower app never
imports a higher one: points hear "order delivered" from services, projects hear "matter handed on"
from the committee, each app turns its own events into notifications.

Receivers run once the transaction that sent the event has committed (nothing is heard of a write that
rolled back), each inside its own transaction; one that fails is logged and the others still run: the
write they react to stands, and what they do is safe to repeat (unique keys, idempotent actions).

A receiver declared ``in_worker=True`` (the dispatch of what residents and units submit: a fan-out of notices,
each with its deliveries) is handed to the Celery worker instead (task ``core.run_receiver``, by the receiver's
name, the row's label and id, the acting user's id): the request that wrote ends at its commit. When the
broker cannot take it (down, or recently down: alliance.core.enqueue's breaker) it runs at once as before, so
nothing is lost; run twice it sends nothing twice (unique notification keys). The web process keeps such calls
for a tenth of a second and publishes them together (``core.run_receivers``, alliance.core.linger).
"""

import functools
import logging
from collections.abc import Callable

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.dispatch import Signal

from alliance.core import enqueue, linger

log = logging.getLogger(__name__)

__all__ = ["Signal", "receiver", "send_on_commit", "send_now", "run_in_worker"]

# Receivers that may run in the worker, by their name (the task finds them here: every process imports the
# handlers at start-up, alliance.core.apps).
_IN_WORKER: dict[str, Callable[..., object]] = {}
# Off in the tests that have no worker (tests/conftest.py): there such receivers run at once, as they did.
IN_WORKER = True


def receiver(signal: Signal, *, name: str | None = None, in_worker: bool = False, **options):
    """Connect the decorated function to ``signal``; it runs inside its own transaction (``in_worker``: in a
    Celery task when the broker takes it, see the module's docstring).

    Connected once per module and ``name`` (the function's own name unless given: a receiver built by a
    helper names itself)."""

    def connect(func):
        uid = f"{func.__module__}.{name or func.__qualname__}"

        @functools.wraps(func)
        def run(**kwargs):
            if in_worker and _handed_to_worker(uid, kwargs):
                return None
            with transaction.atomic():
                return func(**kwargs)

        if in_worker:
            _IN_WORKER[uid] = func
        signal.connect(run, weak=False, dispatch_uid=uid, **options)
        return func

    return connect


def _handed_to_worker(uid: str, kwargs: dict) -> bool:
    """Publish ``core.run_receiver`` for this call; False (run it here) when the payload or the broker won't do."""
    if not IN_WORKER:
        return False
    instance, by = kwargs.get("instance"), kwargs.get("by")
    rest = {k: v for k, v in kwargs.items() if k not in {"instance", "by", "signal", "sender"}}
    if not isinstance(instance, models.Model) or (by is not None and not isinstance(by, models.Model)):
        return False
    if any(not isinstance(v, str | int | float | bool | None) for v in rest.values()):
        return False
    if enqueue.broker_paused():
        return False
    call = (uid, instance._meta.label, instance.pk, by.pk if by is not None else None, rest)
    kept = linger.active()
    if kept is not None:  # the web process: published with the others of the next moment (alliance.core.linger)
        kept.keep(call)
        return True
    # The broker down: the receiver runs here, as it did before the worker took it.
    return enqueue.attempt("core.run_receiver", call, "receiver %s runs in the request", uid)


def run_in_worker(uid: str, label: str, pk: int, by_id: int | None, rest: dict) -> bool:
    """The task's body: the receiver ``uid`` called with the row (read afresh) in its own transaction; False when
    the row is gone (the write was undone since) or the receiver is unknown."""
    func = _IN_WORKER.get(uid)
    model = apps.get_model(label)
    instance = model.objects.filter(pk=pk).first()
    if func is None or instance is None:
        log.warning("receiver %s of %s %s: nothing to run", uid, label, pk)
        return False
    by = get_user_model().objects.filter(pk=by_id).first() if by_id else None
    with transaction.atomic():
        func(instance=instance, by=by, sender=model, **rest)
    return True


@linger.runs_here
def run_all(calls) -> int:
    """Run each call (``run_in_worker``'s arguments, kept together: alliance.core.linger), each in its own
    transaction; one that fails is logged and the others still run, as with ``send_now``. How many ran."""
    ran = 0
    for call in calls:
        try:
            ran += bool(run_in_worker(*call))
        except Exception:
            log.exception("receiver %s of %s %s failed", *call[:3])
    return ran


def send_on_commit(signal: Signal, sender: type, **payload) -> None:
    """Send ``signal`` once the current transaction commits (at once outside a transaction)."""
    _after_commit(functools.partial(send_now, signal, sender, **payload))


def _after_commit(callback) -> None:
    # One place to defer: tests that run inside a transaction that never commits replace it (tests/conftest.py).
    transaction.on_commit(callback)


def send_now(signal: Signal, sender: type, **payload) -> None:
    """Call every receiver; a failure is logged with its traceback, not raised, and the others still run."""
    for func, result in signal.send_robust(sender=sender, **payload):
        if isinstance(result, Exception):
            log.error("receiver %s of %s failed", getattr(func, "__qualname__", func), sender.__name__, exc_info=result)
