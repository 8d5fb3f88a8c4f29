"""Admin (superusers only) of the record of each run of a periodic job (alliance.committee.models.JobRun, a proxy of django_celery_results' TaskResult), read-only."""

from celery.states import READY_STATES
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from alliance.committee.models import JobRun


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    """Each run of a periodic job (read-only; TaskResult rows written by Celery's result backend)."""

    list_display = ["task_name", "periodic_task_name", "started", "finished", "status_label", "short_result"]
    list_filter = ["status", "task_name"]
    search_fields = ["task_name", "periodic_task_name", "task_id"]
    date_hierarchy = "date_created"
    list_per_page = 50
    show_full_result_count = False

    @admin.display(description=_("开始时间"), ordering="date_created")
    def started(self, obj):
        return obj.date_started or obj.date_created

    @admin.display(description=_("结束时间"), ordering="date_done")
    def finished(self, obj):
        return obj.date_done if obj.status in READY_STATES else None

    @admin.display(description=_("结果"), ordering="status")
    def status_label(self, obj):
        return JobRun.status_label(obj.status, obj.result)

    @admin.display(description=_("返回值或错误"))
    def short_result(self, obj):
        return (obj.result or "")[:80]

    # A technical table (task ids, raw results): superusers only (issue 14). Street admins see each schedule's
    # last run in Chinese on the schedule list.
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
