"""Celery tasks of the three lists: thin, take ids, safe to run twice."""

import time

from celery import shared_task

from projects import matching
from projects.actions import remind_projects_near_deadline, remind_stale_claims


@shared_task(name="projects.match_need")
def match_need_task(need_id: int) -> int:
    return matching.run_for_needs([need_id])


@shared_task(name="projects.match_resource")
def match_resource_task(resource_id: int) -> int:
    return matching.run_for_resource(resource_id)


# Seconds between two progress writes to the run record (one UPDATE of its row each): often enough for staff
# watching the list, rare enough to cost nothing next to the job.
PROGRESS_EVERY = 2.0


def job_progress(task):
    """A ``progress(done, total, stage)`` for ``matching.run`` that writes into the task's run record.

    The record is the task's TaskResult row (alliance.core.job_runs): while the job runs its state is PROGRESS
    and its result ``{"done": …, "total": …, "stage": …}``, where staff see the job's runs; SUCCESS replaces it.
    The first and the last call are always written; those in between at most every ``PROGRESS_EVERY`` seconds.
    """
    if not task.request.id:  # called as a function, not as a task: there is no record
        return None
    last = -PROGRESS_EVERY

    def report(done: int, total: int, stage: str) -> None:
        nonlocal last
        now = time.monotonic()
        if 0 < done < total and now - last < PROGRESS_EVERY:
            return
        last = now
        task.update_state(state="PROGRESS", meta={"done": done, "total": total, "stage": stage})

    return report


@shared_task(name="projects.match_all", bind=True)
def match_all_task(self) -> int:
    return matching.run_all(progress=job_progress(self))


@shared_task(name="projects.remind_stale_claims")
def remind_stale_claims_task() -> int:
    return remind_stale_claims()


@shared_task(name="projects.remind_projects_near_deadline")
def remind_projects_near_deadline_task() -> int:
    return remind_projects_near_deadline()
