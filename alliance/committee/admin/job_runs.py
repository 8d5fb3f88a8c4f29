"""Admin of the record of each run of a periodic job (alliance.committee.models.JobRun), read-only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from alliance.committee.models import JobRun
from alliance.core.admin_base import is_admin_user


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    """Each run of a periodic job (read-only; written by the worker)."""

    list_display = ["task_name", "periodic_task_name", "started_at", "finished_at", "status", "short_result"]
    list_filter = ["status", "task_name"]
    search_fields = ["task_name", "periodic_task_name", "task_id"]
    date_hierarchy = "started_at"
    list_per_page = 50
    show_full_result_count = False

    @admin.display(description=_("返回值或错误"))
    def short_result(self, obj):
        return obj.result[:80]

    def has_module_permission(self, request):
        return is_admin_user(request.user)

    def has_view_permission(self, request, obj=None):
        return is_admin_user(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
