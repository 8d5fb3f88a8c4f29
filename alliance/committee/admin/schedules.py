"""Admin of the beat schedule (django_celery_beat), with each job's last run; street admins edit it."""

from django.contrib import admin
from django.db.models import OuterRef, Subquery
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_celery_beat.admin import CrontabScheduleAdmin as BeatCrontabAdmin
from django_celery_beat.admin import IntervalScheduleAdmin as BeatIntervalAdmin
from django_celery_beat.admin import PeriodicTaskAdmin as BeatPeriodicTaskAdmin
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask
from django_celery_results.models import TaskResult

from alliance.committee.models import JobRun
from alliance.core.admin_base import AdminsSeeEditorsChange, is_admin_user


class StreetEditsSchedules(AdminsSeeEditorsChange):
    """Schedules: every admin sees them; street admins (and superusers) change them, community admins do not."""

    def _can_edit(self, request) -> bool:
        user = request.user
        return user.is_superuser or (is_admin_user(user) and user.role == user.Role.STREET_ADMIN)

    def get_actions(self, request):
        # The beat admin's actions (enable, disable, run now) change schedules: editors only.
        return super().get_actions(request) if self._can_edit(request) else {}


def _last_run(field: str) -> Subquery:
    return Subquery(JobRun.objects.filter(task_name=OuterRef("task")).order_by("-date_created").values(field)[:1])


# The task results are listed as the runs of periodic jobs (JobRun, read-only) instead of the library's admin.
for _model in (PeriodicTask, CrontabSchedule, IntervalSchedule, TaskResult):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(PeriodicTask)
class PeriodicTaskAdmin(StreetEditsSchedules, BeatPeriodicTaskAdmin):
    """The beat schedule of every job, with the last run recorded by the worker and its outcome."""

    list_display = ["name", "enabled", "scheduler", "last_job_started", "last_job_status", "last_job_result", "task"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                last_job_started=_last_run("date_created"),
                last_job_status=_last_run("status"),
                last_job_result=_last_run("result"),
            )
        )

    @admin.display(description=_("最近运行"), ordering="last_job_started")
    def last_job_started(self, obj):
        return obj.last_job_started

    @admin.display(description=_("运行结果"))
    def last_job_status(self, obj):
        if not obj.last_job_status:
            return _("尚未运行")
        label = JobRun.status_label(obj.last_job_status)
        colour = {"SUCCESS": "#2e7d32", "FAILURE": "#c62828"}.get(obj.last_job_status, "#555")
        return format_html('<span style="color:{}">{}</span>', colour, label)

    @admin.display(description=_("返回值或错误"))
    def last_job_result(self, obj):
        return (obj.last_job_result or "")[:80]


@admin.register(CrontabSchedule)
class CrontabScheduleAdmin(StreetEditsSchedules, BeatCrontabAdmin):
    pass


@admin.register(IntervalSchedule)
class IntervalScheduleAdmin(StreetEditsSchedules, BeatIntervalAdmin):
    pass
