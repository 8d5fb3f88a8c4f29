"""Thin Celery tasks of the members app: the daily jobs of pairings (members.actions.pairings)."""

from celery import shared_task

from members.actions import expire_pairings, remind_expiring_pairings


@shared_task(name="members.remind_expiring_pairings")
def remind_expiring_pairings_task() -> int:
    return remind_expiring_pairings()


@shared_task(name="members.expire_pairings")
def expire_pairings_task() -> int:
    return expire_pairings()
