"""Celery tasks of the three lists: thin, take ids, safe to run twice."""

from celery import shared_task

from projects import matching
from projects.actions import remind_projects_near_deadline, remind_stale_claims


@shared_task(name="projects.match_need")
def match_need_task(need_id: int) -> int:
    return matching.run_for_needs([need_id])


@shared_task(name="projects.match_resource")
def match_resource_task(resource_id: int) -> int:
    return matching.run_for_resource(resource_id)


@shared_task(name="projects.match_all")
def match_all_task() -> int:
    return matching.run_all()


@shared_task(name="projects.remind_stale_claims")
def remind_stale_claims_task() -> int:
    return remind_stale_claims()


@shared_task(name="projects.remind_projects_near_deadline")
def remind_projects_near_deadline_task() -> int:
    return remind_projects_near_deadline()
