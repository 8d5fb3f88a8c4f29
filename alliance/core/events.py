"""Domain events: what happened in one app, heard by the apps above it after the transaction commits.

An app with news for others declares it as a Django ``Signal`` in its own ``events.py`` (what it sends
is documented beside it) and sends it from inside its action with ``send_on_commit``. Receivers live in
the listening app's ``handlers.py`` (imported at start-up by ``CoreConfig.ready``), so a lower app never
imports a higher one: points hear "order delivered" from services, projects hear "matter handed on"
from the committee, each app turns its own events into notifications.

Receivers run once the transaction that sent the event has committed (nothing is heard of a write that
rolled back), each inside its own transaction; one that fails is logged and the others still run: the
write they react to stands, and what they do is safe to repeat (unique keys, idempotent actions).
"""

import functools
import logging

from django.db import transaction
from django.dispatch import Signal

log = logging.getLogger(__name__)

__all__ = ["Signal", "receiver", "send_on_commit", "send_now"]


def receiver(signal: Signal, *, name: str | None = None, **options):
    """Connect the decorated function to ``signal``; it runs inside its own transaction.

    Connected once per module and ``name`` (the function's own name unless given: a receiver built by a
    helper names itself)."""

    def connect(func):
        @functools.wraps(func)
        def run(**kwargs):
            with transaction.atomic():
                return func(**kwargs)

        signal.connect(run, weak=False, dispatch_uid=f"{func.__module__}.{name or func.__qualname__}", **options)
        return func

    return connect


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
