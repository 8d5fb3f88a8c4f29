"""Thin Celery tasks of the members app: the monthly points jobs."""

import datetime

from celery import shared_task
from django.utils import timezone

from members import points


def _today(today: str | None) -> datetime.date:
    # ``today`` (ISO date) lets an operator or a test run a job as of another day.
    return datetime.date.fromisoformat(today) if today else timezone.localdate()


@shared_task(name="members.publish_monthly_rankings")
def publish_monthly_rankings_task(today: str | None = None) -> int:
    return points.publish_last_month(today=_today(today))


@shared_task(name="members.warn_behind_hours")
def warn_behind_hours_task(today: str | None = None) -> int:
    return points.warn_behind_hours(today=_today(today))


@shared_task(name="members.compute_star_ratings")
def compute_star_ratings_task(today: str | None = None) -> int:
    year, month = points.previous_month(_today(today))
    return points.compute_star_ratings(year=year, month=month)
