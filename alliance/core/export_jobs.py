"""Exports too big for a request: an ``ExportJob`` row, run by a worker, kept privately, then pruned.

``start_job`` records who asked for which list with which filters and enqueues ``core.run_export_job``; the
worker (``run_job``) rebuilds the list with the scope the person has when it runs (their grid node may have
changed, or their account been closed), writes the file with progress along the way, and tells them it is ready
(``notify``). A job is taken once (pending → running, one UPDATE); a job left pending because the broker was down
is sent again by the sweep; jobs older than ``EXPORT_KEEP_DAYS`` are deleted with their files.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alliance.core.enqueue import enqueue_on_commit
from alliance.core.exports import SOURCES
from alliance.core.models import ExportJob
from alliance.core.notifications import notify
from alliance.core.replica import on_replica

log = logging.getLogger(__name__)

RUN_TASK = "core.run_export_job"
# A job still pending this long after it was created was never sent (the broker was down): the sweep sends it.
PENDING_GRACE = datetime.timedelta(minutes=2)
# A job running this long was lost with its worker (past the task's time limit of an hour): the sweep marks it
# failed.
RUNNING_LIMIT = datetime.timedelta(minutes=70)


def job_url(job: ExportJob) -> str:
    return reverse("admin:core_exportjob_change", args=[job.pk])


def start_job(*, by, key: str, title: str, query: str) -> ExportJob:
    """Record the export of list ``key`` (with the change list's ``query``) for ``by`` and enqueue it.

    The same export asked for again while it is still queued or running is that job (a double click, a reload)."""
    waiting = ExportJob.objects.filter(
        user=by, export=key, query=query, status__in=[ExportJob.Status.PENDING, ExportJob.Status.RUNNING]
    ).first()
    if waiting is not None:
        return waiting
    language = translation.get_language() or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    job = ExportJob.objects.create(user=by, export=key, title=str(title)[:100], query=query, language=language)
    enqueue_on_commit(RUN_TASK, job.pk)
    return job


def _request_for(job: ExportJob, source) -> HttpRequest:
    """The change list's request as the person would send it now: their account, the saved query string."""
    request = HttpRequest()
    request.method = "GET"
    request.GET = QueryDict(job.query)
    request.user = job.user
    opts = source.model._meta
    request.path = request.path_info = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    request.META = {"SERVER_NAME": "localhost", "SERVER_PORT": "80", "QUERY_STRING": job.query}
    return request


def _fail(job: ExportJob, reason: str) -> str:
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.FAILED, error=reason[:300], finished_at=timezone.now()
    )
    notify(
        recipient=job.user,
        key=f"export:{job.pk}:failed",
        title=_("导出失败：%(title)s") % {"title": job.title},
        body=reason,
        url=job_url(job),
    )
    return "failed"


def run_job(job_id: int) -> str:
    """Run one export job in the language it was asked in; safe to run twice (only a pending job is taken)."""
    language = ExportJob.objects.filter(pk=job_id).values_list("language", flat=True).first()
    with translation.override(language or settings.LANGUAGE_CODE):
        return _run_job(job_id)


def _run_job(job_id: int) -> str:
    now = timezone.now()
    taken = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.PENDING).update(
        status=ExportJob.Status.RUNNING, started_at=now
    )
    if not taken:
        return "skipped"
    job = ExportJob.objects.select_related("user", "user__grid_node").get(pk=job_id)
    source = SOURCES.get(job.export)
    request = _request_for(job, source) if source is not None else None
    if source is None or not job.user.is_active or not source.has_view_permission(request):
        return _fail(job, _("您已无权导出该列表。"))
    try:
        queryset = source.export_queryset(request)
        total = on_replica(queryset.count)  # the rows themselves: Export.workbook, on the replica too
        ExportJob.objects.filter(pk=job.pk).update(rows_total=total)

        def progress(done: int) -> None:
            ExportJob.objects.filter(pk=job.pk).update(rows_done=done)

        data = source.export.workbook(queryset, progress=progress)
        job.file_name = source.export.file_name()
        job.file.save(source.export.ascii_file_name(), ContentFile(data), save=False)
    except Exception:  # whatever went wrong, the person is told, never left waiting
        log.exception("export job %s failed", job_id)
        return _fail(job, _("导出时出错，请稍后重试或缩小筛选范围。"))
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.DONE,
        rows_total=total,
        rows_done=total,
        file=job.file.name,
        file_name=job.file_name,
        finished_at=timezone.now(),
    )
    notify(
        recipient=job.user,
        key=f"export:{job.pk}:done",
        title=_("导出完成：%(name)s") % {"name": job.file_name},
        body=_("共%(n)d行，请在%(days)d天内下载。") % {"n": total, "days": keep_days()},
        url=job_url(job),
    )
    return "done"


def keep_days() -> int:
    return int(getattr(settings, "EXPORT_KEEP_DAYS", 7))


def prune_jobs(now: datetime.datetime | None = None) -> int:
    """Delete jobs older than ``EXPORT_KEEP_DAYS`` days and their files; returns how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=keep_days())
    old = list(ExportJob.objects.filter(created_at__lt=cutoff).only("pk", "file"))
    for job in old:
        if job.file:
            job.file.delete(save=False)
    ExportJob.objects.filter(pk__in=[j.pk for j in old]).delete()
    return len(old)


def sweep_jobs(now: datetime.datetime | None = None) -> dict:
    """Send again the jobs the broker never got; fail those whose worker was lost."""
    now = now or timezone.now()
    lost = ExportJob.objects.filter(status=ExportJob.Status.RUNNING, started_at__lt=now - RUNNING_LIMIT)
    failed = 0
    for job in lost.select_related("user"):
        _fail(job, _("导出中断，请重新导出。"))
        failed += 1
    pending = list(
        ExportJob.objects.filter(status=ExportJob.Status.PENDING, created_at__lt=now - PENDING_GRACE).values_list(
            "pk", flat=True
        )
    )
    for pk in pending:
        enqueue_on_commit(RUN_TASK, pk)
    return {"resent": len(pending), "failed": failed}
