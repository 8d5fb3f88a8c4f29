"""Enqueuing tasks after commit without ever failing the request that caused them."""

import logging

from django.db import transaction

log = logging.getLogger(__name__)


def enqueue_on_commit(task, *args) -> None:
    """Send ``task(*args)`` once the transaction commits.

    If the broker is down the row is already saved and the request still succeeds: the error is
    logged, and the task's periodic sweep (nightly matching, reminder sweeps) picks the work up.
    """

    def send():
        try:
            task.apply_async(args, retry=False)
        except Exception:  # any broker failure: the sweep does the work later
            log.warning("%s%s: broker unavailable, left to the periodic sweep", task.name, args, exc_info=True)

    transaction.on_commit(send)
