"""The record of each run of a periodic job (JobRun), written from Celery's task signals in the worker.

Recorded: tasks named in a default beat schedule, and any task beat sent (django-celery-beat puts
the schedule's name in the ``periodic_task_name`` header). One-off tasks (sending one message,
matching one need) are not recorded. A failure to record never fails the task.
"""

import datetime
import logging
from functools import cache

from celery import shared_task, signals
from django.utils import timezone

log = logging.getLogger(__name__)


@cache
def scheduled_task_names() -> frozenset:
    from alliance.core.schedules import default_schedules

    return frozenset(entry["task"] for entry in default_schedules())


def _periodic_name(task) -> str:
    request = getattr(task, "request", None)
    headers = getattr(request, "headers", None) or {}
    return (getattr(request, "periodic_task_name", None) or headers.get("periodic_task_name") or "")[:200]


def _recorded(task) -> bool:
    return task is not None and (task.name in scheduled_task_names() or bool(_periodic_name(task)))


def _short(value) -> str:
    return str(value)[:500]


@signals.task_prerun.connect(dispatch_uid="alliance.core.job_runs.prerun")
def job_started(sender=None, task_id=None, task=None, **kwargs):
    if not _recorded(task) or not task_id:
        return
    from alliance.committee.models import JobRun

    try:
        JobRun.objects.update_or_create(
            task_id=task_id,
            defaults={
                "task_name": task.name,
                "periodic_task_name": _periodic_name(task),
                "started_at": timezone.now(),
                "finished_at": None,
                "status": JobRun.Status.RUNNING,
                "result": "",
            },
        )
    except Exception:
        log.warning("job run of %s not recorded", task.name, exc_info=True)


@signals.task_failure.connect(dispatch_uid="alliance.core.job_runs.failure")
def job_failed(sender=None, task_id=None, exception=None, **kwargs):
    if not _recorded(sender) or not task_id:
        return
    from alliance.committee.models import JobRun

    try:
        JobRun.objects.filter(task_id=task_id).update(
            status=JobRun.Status.FAILURE,
            finished_at=timezone.now(),
            result=_short(f"{type(exception).__name__}: {exception}"),
        )
    except Exception:
        log.warning("job failure of %s not recorded", task_id, exc_info=True)


@signals.task_postrun.connect(dispatch_uid="alliance.core.job_runs.postrun")
def job_finished(sender=None, task_id=None, task=None, retval=None, state=None, **kwargs):
    if not _recorded(task) or not task_id:
        return
    from alliance.committee.models import JobRun

    try:
        if state == "SUCCESS":
            JobRun.objects.filter(task_id=task_id).update(
                status=JobRun.Status.SUCCESS, finished_at=timezone.now(), result=_short(retval)
            )
        elif state == "RETRY":
            JobRun.objects.filter(task_id=task_id).update(
                status=JobRun.Status.RETRY, finished_at=timezone.now(), result=_short(retval)
            )
        else:  # FAILURE: written by job_failed, which has the exception; only make sure it is closed
            JobRun.objects.filter(task_id=task_id, finished_at__isnull=True).update(
                status=JobRun.Status.FAILURE, finished_at=timezone.now()
            )
    except Exception:
        log.warning("job end of %s not recorded", task_id, exc_info=True)


JOB_RUNS_KEPT_DAYS = 30


@shared_task(name="alliance.prune_job_runs")
def prune_job_runs_task() -> int:
    """Forget runs older than JOB_RUNS_KEPT_DAYS (the sweep alone runs 1,440 times a day)."""
    from alliance.committee.models import JobRun

    cutoff = timezone.now() - datetime.timedelta(days=JOB_RUNS_KEPT_DAYS)
    deleted, _ = JobRun.objects.filter(started_at__lt=cutoff).delete()
    return deleted
