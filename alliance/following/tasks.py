"""Thin Celery tasks of alliance.following: the daily and the weekly digests."""

import datetime

from celery import shared_task

from alliance.following import actions
from alliance.following.models import Frequency


def _now(now: str | None) -> datetime.datetime | None:
    # ``now`` (ISO datetime) lets an operator or a test run a job as of another time.
    return datetime.datetime.fromisoformat(now) if now else None


@shared_task(name="following.send_daily_digests")
def send_daily_digests_task(now: str | None = None) -> dict:
    return actions.send_digests(frequency=Frequency.DAILY, now=_now(now))


@shared_task(name="following.send_weekly_digests")
def send_weekly_digests_task(now: str | None = None) -> dict:
    return actions.send_digests(frequency=Frequency.WEEKLY, now=_now(now))
