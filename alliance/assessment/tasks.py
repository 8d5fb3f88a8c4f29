"""Thin Celery tasks of the assessment: the quarterly draft of the micro-grids' stars."""

import datetime

from celery import shared_task
from django.utils import timezone

from alliance.assessment import actions


@shared_task(name="assessment.compute_grid_stars")
def compute_grid_stars_task(today: str | None = None) -> int:
    # ``today`` (ISO date) lets an operator or a test run the job as of another day.
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    return actions.compute_last_quarter(today=day)
