"""Thin Celery tasks of residents' services: they parse the clock and call the sweeps in actions."""

from celery import shared_task
from django.utils.dateparse import parse_datetime

from services import actions


def _clock(now: str | None):
    # ``now`` (ISO 8601) lets an operator or a test run a sweep as of another moment.
    return parse_datetime(now) if now else None


@shared_task(name="services.remind_unaccepted_orders", bind=True, max_retries=3, default_retry_delay=60)
def remind_unaccepted_orders_task(self, now: str | None = None) -> dict:
    sent = actions.remind_unaccepted_orders(now=_clock(now))
    # The same sweep reminds the community of orders served but not yet confirmed (社区送达).
    sent["confirm_reminded"] = actions.remind_unconfirmed_deliveries(now=_clock(now))
    return sent


@shared_task(name="services.escalate_overdue_issues", bind=True, max_retries=3, default_retry_delay=60)
def escalate_overdue_issues_task(self, now: str | None = None) -> int:
    return actions.escalate_overdue_issues(now=_clock(now))


@shared_task(name="services.remind_activities_day_before", bind=True, max_retries=3, default_retry_delay=60)
def remind_activities_day_before_task(self, now: str | None = None) -> int:
    return actions.remind_activities_day_before(now=_clock(now))


@shared_task(name="services.generate_recurring_occurrences", bind=True, max_retries=3, default_retry_delay=60)
def generate_recurring_occurrences_task(self, now: str | None = None) -> int:
    return actions.generate_occurrences(now=_clock(now))
