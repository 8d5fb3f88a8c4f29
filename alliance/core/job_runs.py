"""The record of each run of a periodic job: django_celery_results' TaskResult, written by Celery's result backend.

Results are ignored by default (CELERY_TASK_IGNORE_RESULT); the tasks named in a default beat schedule
(``<app>/schedules.py``) are annotated to keep theirs (``RecordScheduledRuns`` in CELERY_TASK_ANNOTATIONS), and
so is any task beat sends (django-celery-beat names its schedule in the ``periodic_task_name`` header), with
the started state (CELERY_TASK_TRACK_STARTED) and, CELERY_RESULT_EXTENDED, the task's name and the
beat schedule's name. One-off tasks (sending one message, matching one need) are not recorded.
Runs are forgotten after CELERY_RESULT_EXPIRES by celery's own ``celery.backend_cleanup`` (daily, from beat).
"""

import datetime
import logging
from functools import cache

from celery import shared_task, signals
from django.apps import apps
from django.conf import settings

log = logging.getLogger(__name__)


@cache
def _scheduled_task_names() -> frozenset:
    # Module-level would import every app's schedules while this kernel module loads.
    from alliance.core.schedules import default_schedules

    return frozenset(entry["task"] for entry in default_schedules())


def scheduled_task_names() -> frozenset:
    if not apps.ready:  # a task bound while the apps load: its schedule is not known yet
        return frozenset()
    return _scheduled_task_names()


class RecordScheduledRuns:
    """A Celery task annotation: the tasks of a default schedule store their result (their run record)."""

    def annotate(self, task) -> dict | None:
        if task.name in scheduled_task_names():
            return {"ignore_result": False}
        return None


@signals.before_task_publish.connect(dispatch_uid="alliance.core.job_runs.beat")
def record_beat_runs(sender=None, headers=None, **kwargs) -> None:
    """A task sent by beat (a schedule the admins added too) keeps its result, unless the sender said otherwise."""
    if headers is not None and headers.get("periodic_task_name") and headers.get("ignore_result") is None:
        headers["ignore_result"] = False


@shared_task(name="alliance.prune_job_runs")
def prune_job_runs_task() -> int:
    """Forget runs older than CELERY_RESULT_EXPIRES, as ``celery.backend_cleanup`` does (kept for its schedule)."""
    # Not at module level: Celery instantiates RecordScheduledRuns, importing this module, as it binds a task,
    # which may be before the models can load.
    from django_celery_results.models import TaskResult

    expired = TaskResult.objects.get_all_expired(datetime.timedelta(seconds=settings.CELERY_RESULT_EXPIRES))
    deleted, _ = expired.delete()
    return deleted
