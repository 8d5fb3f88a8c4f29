"""Admin of the beat schedule (django_celery_beat), with each job's last run; street admins edit it.

Street admins see each job in plain Chinese (「每月25日 09:00」, alliance.core.schedule_text): its name,
description, whether it runs, when, and how the last run went; the task's dotted name, its arguments, the
queue options and the library's English crontab translation are for superusers. Community admins do not see
the schedules (SPEC: schedules are the street's)."""

from django import forms
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
from alliance.core.schedule_text import describe, describe_task


def _street_level(user) -> bool:
    return user.is_superuser or (
        is_admin_user(user) and user.role in (user.Role.STREET_ADMIN, user.Role.DISTRICT_ADMIN)
    )


class StreetEditsSchedules(AdminsSeeEditorsChange):
    """Schedules: street admins (and superusers) see and change them; community admins do not see them."""

    def _can_edit(self, request) -> bool:
        return _street_level(request.user)

    def has_module_permission(self, request):
        return _street_level(request.user)

    def has_view_permission(self, request, obj=None):
        return _street_level(request.user)

    def get_actions(self, request):
        # The beat admin's actions (enable, disable, run now) change schedules: editors only.
        return super().get_actions(request) if self._can_edit(request) else {}


def _last_run(field: str) -> Subquery:
    return Subquery(JobRun.objects.filter(task_name=OuterRef("task")).order_by("-date_created").values(field)[:1])


# The task results are listed as the runs of periodic jobs (JobRun, read-only) instead of the library's admin.
for _model in (PeriodicTask, CrontabSchedule, IntervalSchedule, TaskResult):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


class ScheduleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return describe(obj)


class StreetScheduleForm(forms.ModelForm):
    """What a street admin changes of a job: its description, whether it runs and its crontab or interval."""

    class Meta:
        model = PeriodicTask
        fields = ["description", "enabled", "crontab", "interval"]
        field_classes = {"crontab": ScheduleChoiceField, "interval": ScheduleChoiceField}
        help_texts = {
            "enabled": _("取消勾选即暂停这项任务。"),
            "crontab": _("按日期和时刻运行；与“间隔”二选一。"),
            "interval": _("每隔一段时间运行；与“时间表”二选一。"),
        }

    def clean(self):
        data = super().clean()
        if bool(data.get("crontab")) == bool(data.get("interval")):
            raise forms.ValidationError(_("请在“时间表”和“间隔”中选一个，且只选一个。"))
        return data


@admin.register(PeriodicTask)
class PeriodicTaskAdmin(StreetEditsSchedules, BeatPeriodicTaskAdmin):
    """The beat schedule of every job, with the last run recorded by the worker and its outcome."""

    list_display = ["name", "schedule_text", "enabled", "last_job_started", "last_job_status", "last_job_result"]
    list_filter = ["enabled"]
    search_fields = ["name", "description"]
    list_select_related = ["crontab", "interval", "solar", "clocked"]
    street_fieldsets = ((None, {"fields": ["name", "schedule_text", "description", "enabled", "crontab", "interval"]}),)

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

    def get_list_display(self, request):
        if request.user.is_superuser:
            return [*self.list_display, "task"]
        return [name for name in self.list_display if name != "last_job_result"]

    def get_list_filter(self, request):
        return ["enabled", "task"] if request.user.is_superuser else ["enabled"]

    def get_fieldsets(self, request, obj=None):
        return super().get_fieldsets(request, obj) if request.user.is_superuser else self.street_fieldsets

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return ["name", "schedule_text"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if not request.user.is_superuser:
            kwargs["form"] = StreetScheduleForm
        return super().get_form(request, obj, change, **kwargs)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.user.is_superuser:
            return super().changeform_view(request, object_id, form_url, extra_context)
        # The library's view lists the registered task names for its task picker: superusers' only.
        return admin.ModelAdmin.changeform_view(self, request, object_id, form_url, extra_context)

    def has_add_permission(self, request, *args):
        # A job is a task of the code with its default schedule (alliance.core.schedules); adding one takes its
        # dotted name and arguments: superusers.
        return request.user.is_superuser

    @admin.display(description=_("运行时间"))
    def schedule_text(self, obj):
        return describe_task(obj)

    @admin.display(description=_("最近运行"), ordering="last_job_started")
    def last_job_started(self, obj):
        return obj.last_job_started

    @admin.display(description=_("运行结果"))
    def last_job_status(self, obj):
        if not obj.last_job_status:
            return _("尚未运行")
        label = JobRun.status_label(obj.last_job_status, obj.last_job_result)
        colour = {"SUCCESS": "#2e7d32", "FAILURE": "#c62828"}.get(obj.last_job_status, "#555")
        return format_html('<span style="color:{}">{}</span>', colour, label)

    @admin.display(description=_("返回值或错误"))
    def last_job_result(self, obj):
        return (obj.last_job_result or "")[:80]


CRONTAB_HELP = {
    "minute": _("第几分钟运行，如“0”“30”；“*/15”为每15分钟。"),
    "hour": _("几点运行（0–23），如“9”；“*”为每小时。"),
    "day_of_month": _("每月几号运行，如“25”；“*”为每天。"),
    "month_of_year": _("几月运行，如“1,7”；“*”为每月。"),
    "day_of_week": _("星期几运行，0或7为星期日，1为星期一，如“1-5”；“*”为每天。"),
}


class StreetCrontabForm(forms.ModelForm):
    class Meta:
        model = CrontabSchedule
        fields = ["minute", "hour", "day_of_month", "month_of_year", "day_of_week"]
        help_texts = CRONTAB_HELP


@admin.register(CrontabSchedule)
class CrontabScheduleAdmin(StreetEditsSchedules, BeatCrontabAdmin):
    list_display = ["schedule_text"]

    def get_list_display(self, request):
        return ["schedule_text", "__str__"] if request.user.is_superuser else ["schedule_text"]

    def get_fields(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_fields(request, obj)
        return ["schedule_text", *StreetCrontabForm.Meta.fields]

    def get_readonly_fields(self, request, obj=None):
        return ["schedule_text", *([] if not request.user.is_superuser else self.readonly_fields)]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if not request.user.is_superuser:
            kwargs["form"] = StreetCrontabForm
        return super().get_form(request, obj, change, **kwargs)

    @admin.display(description=_("运行时间"))
    def schedule_text(self, obj):
        return describe(obj)


@admin.register(IntervalSchedule)
class IntervalScheduleAdmin(StreetEditsSchedules, BeatIntervalAdmin):
    list_display = ["schedule_text"]

    @admin.display(description=_("运行间隔"))
    def schedule_text(self, obj):
        return describe(obj)
