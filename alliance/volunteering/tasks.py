"""Thin Celery tasks of dual reporting: the reminders."""

import datetime

from celery import shared_task
from django.utils import timezone

from alliance.volunteering import actions


def _today(today: str | None) -> datetime.date:
    # ``today`` (ISO date) lets an operator or a test run a job as of another day.
    return datetime.date.fromisoformat(today) if today else timezone.localdate()


@shared_task(name="volunteering.remind_idle_members")
def remind_idle_members_task(today: str | None = None) -> int:
    return actions.remind_idle_members(today=_today(today))


@shared_task(name="volunteering.remind_waiting_reports")
def remind_waiting_reports_task(today: str | None = None) -> int:
    return actions.remind_waiting_reports(today=_today(today))
