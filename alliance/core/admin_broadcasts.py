"""Admin of the fan-out's job record (群发任务, alliance.core.fanout), read-only: what was sent to whom, how far.

Superusers and district admins see every job; a street or community admin sees the jobs addressed to a node of
their subtree (``Broadcast.area`` is the node's primary key as text; "" is the whole district, theirs only).
"""

from django.contrib import admin
from django.db.models import CharField, Count, Q, Sum
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from alliance.core.admin_base import is_admin_user
from alliance.core.models import Broadcast, BroadcastBatch
from alliance.core.scoping import sees_all, subtree_q

DONE = Q(batches__done_at__isnull=False)
BATCH_FIELDS = ("number", "people", "done_at", "notifications_created", "deliveries_created", "lease_until")
JOB_FIELDS = (
    "title",
    "area_label",
    "status",
    "people_progress",
    "batch_progress",
    "notifications_created",
    "deliveries_created",
    "created_by",
    "start_at",
    "started_at",
    "finished_at",
    "url",
    "body",
)


class BatchInline(admin.TabularInline):
    model = BroadcastBatch
    fields = BATCH_FIELDS
    readonly_fields = BATCH_FIELDS
    extra = 0
    can_delete = False
    show_change_link = False

    def has_view_permission(self, request, obj=None):
        return is_admin_user(request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Broadcast)
class BroadcastAdmin(admin.ModelAdmin):
    """Each fan-out job: its title, area, status and progress (people and batches done of the total)."""

    list_display = ["title", "area_label", "status", "people_progress", "batch_progress", "started_at", "finished_at"]
    list_filter = ["status"]
    search_fields = ["title"]
    list_per_page = 50
    show_full_result_count = False
    fields = JOB_FIELDS
    readonly_fields = JOB_FIELDS
    inlines = [BatchInline]

    def get_queryset(self, request):
        jobs = (
            super()
            .get_queryset(request)
            .select_related("created_by")
            .annotate(
                batches_done=Count("batches", filter=DONE),
                people_done=Sum("batches__people", filter=DONE, default=0),
            )
        )
        user = request.user
        if sees_all(user):
            return jobs
        if getattr(user, "grid_node_id", None) is None:
            return jobs.none()
        node = user.grid_node  # the kernel names no grid model: the user's node gives it
        areas = type(node).objects.filter(subtree_q("", node)).annotate(key=Cast("pk", CharField()))
        return jobs.filter(area__in=areas.values("key"))

    @admin.display(description=_("发送范围"), ordering="area_name")
    def area_label(self, obj):
        return obj.area_name or (_("全区") if not obj.area else obj.area)

    @admin.display(description=_("已发送人数"))
    def people_progress(self, obj):
        return f"{obj.people_done}/{obj.people_total}"

    @admin.display(description=_("已完成批次"))
    def batch_progress(self, obj):
        return f"{obj.batches_done}/{obj.batches_total}"

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
