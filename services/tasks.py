"""Thin Celery tasks of residents' services: they parse the clock and call the sweeps in actions."""

from celery import shared_task
from django.db import OperationalError
from django.utils.dateparse import parse_datetime

from services import actions


def _clock(now: str | None):
    # ``now`` (ISO 8601) lets an operator or a test run a sweep as of another moment.
    return parse_datetime(now) if now else None


@shared_task(name="services.remind_unaccepted_orders", bind=True, max_retries=3, default_retry_delay=60)
def remind_unaccepted_orders_task(self, now: str | None = None) -> dict:
    """The order sweep, shared by every worker process: it finds the due orders (one indexed query each) and sends
    one chunk task per ``SWEEP_CHUNK`` of them; its run record (TaskResult) says how many it dispatched."""
    clock = _clock(now)
    # The same sweep reminds the community of orders served but not yet confirmed (社区送达).
    due = {
        "unaccepted": (actions.due_unaccepted_orders(now=clock), remind_unaccepted_orders_chunk_task),
        "unconfirmed": (actions.due_unconfirmed_deliveries(now=clock), remind_unconfirmed_deliveries_chunk_task),
    }
    dispatched: dict = {}
    for name, (ids, chunk_task) in due.items():
        parts = actions.chunks(ids)
        # A chunk passes the sweep's clock as given (None: each chunk judges by its own time). Sent twice (this task
        # redone after a lost worker), a chunk sends nothing twice: notify's unique (recipient, key).
        for part in parts:
            chunk_task.apply_async((part,), {"now": now})
        dispatched[f"{name}_due"] = len(ids)
        dispatched[f"{name}_chunks"] = len(parts)
    return dispatched


# A chunk is redone whole when its worker dies (acks late, rejected on a lost worker) or the database hiccups;
# what it already committed is skipped by notify's unique key.
@shared_task(
    name="services.remind_unaccepted_orders_chunk",
    bind=True,
    autoretry_for=(OperationalError,),
    max_retries=3,
    default_retry_delay=30,
)
def remind_unaccepted_orders_chunk_task(self, ids: list[int], now: str | None = None) -> dict:
    return actions.remind_unaccepted_orders(ids=ids, now=_clock(now))


@shared_task(
    name="services.remind_unconfirmed_deliveries_chunk",
    bind=True,
    autoretry_for=(OperationalError,),
    max_retries=3,
    default_retry_delay=30,
)
def remind_unconfirmed_deliveries_chunk_task(self, ids: list[int], now: str | None = None) -> int:
    return actions.remind_unconfirmed_deliveries(ids=ids, now=_clock(now))


@shared_task(name="services.escalate_overdue_issues", bind=True, max_retries=3, default_retry_delay=60)
def escalate_overdue_issues_task(self, now: str | None = None) -> int:
    return actions.escalate_overdue_issues(now=_clock(now))


@shared_task(name="services.remind_activities_day_before", bind=True, max_retries=3, default_retry_delay=60)
def remind_activities_day_before_task(self, now: str | None = None) -> int:
    return actions.remind_activities_day_before(now=_clock(now))


@shared_task(name="services.generate_recurring_occurrences", bind=True, max_retries=3, default_retry_delay=60)
def generate_recurring_occurrences_task(self, now: str | None = None) -> int:
    return actions.generate_occurrences(now=_clock(now))
