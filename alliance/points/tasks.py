"""Thin Celery tasks of points: the monthly jobs (their names stay ``members.*``, as registered in beat)."""

import datetime

from celery import shared_task
from django.utils import timezone

from alliance.points import hours, rankings, stars, wall


def _today(today: str | None) -> datetime.date:
    # ``today`` (ISO date) lets an operator or a test run a job as of another day.
    return datetime.date.fromisoformat(today) if today else timezone.localdate()


@shared_task(name="members.publish_monthly_rankings")
def publish_monthly_rankings_task(today: str | None = None) -> int:
    return rankings.publish_last_month(today=_today(today))


@shared_task(name="members.warn_behind_hours")
def warn_behind_hours_task(today: str | None = None) -> int:
    return hours.warn_behind_hours(today=_today(today))


@shared_task(name="members.compute_star_ratings")
def compute_star_ratings_task(today: str | None = None) -> int:
    year, month = rankings.previous_month(_today(today))
    return stars.compute_star_ratings(year=year, month=month)


@shared_task(name="points.snapshot_wall")
def snapshot_wall_task(today: str | None = None) -> int:
    return wall.snapshot_last_month(today=_today(today))
