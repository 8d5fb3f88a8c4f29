"""Admin of the kernel's notifications: the inbox rows, their deliveries, each person's channels, the settings.

Notifications, deliveries and preferences are rows about accounts, not scoped rows of the grid: staff see those
of accounts in their own subtree (superusers all).
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from alliance.core import admin_broadcasts  # noqa: F401 — registers the job record (群发任务)
from alliance.core.admin_base import NeitherAddedNorChanged, ScopedAdmin, SingletonAdmin, Transition, is_admin_user
from alliance.core.channels.binding import unbind_wechat
from alliance.core.exports import XLSX, Column, Export, content_disposition, label, text, when
from alliance.core.models import (
    ExportJob,
    Notification,
    NotificationDelivery,
    NotificationPreference,
    NotificationSettings,
)
from alliance.core.notification_subjects import label_rows, subject_label
from alliance.core.notifications import enqueue
from alliance.core.privacy import mask_phone
from alliance.core.scoping import sees_all, subtree_q
from alliance.core.todo import LINES as TODO_LINES
from alliance.core.todo import todo_filter


def _recipients_in_subtree(qs, request, path: str):
    """Rows about accounts: staff see those of accounts in their subtree (superusers all)."""
    if sees_all(request.user):
        return qs
    node = request.user.grid_node
    return qs.filter(subtree_q(f"{path}__grid_node", node)) if node else qs.none()


class DeliveryInline(NeitherAddedNorChanged, admin.TabularInline):
    model = NotificationDelivery
    extra = 0
    can_delete = False
    fields = ("channel", "status", "attempts", "last_error", "next_attempt_at", "sent_at", "delivered_at")
    readonly_fields = fields


@admin.register(Notification)
class NotificationAdmin(ScopedAdmin):
    # What a notification is about, in words, instead of its key (issue 14); superusers see the key too.
    list_display = ["title", "recipient", "subject", "status", "created_at", "read_at"]
    list_filter = ["status"]
    search_fields = ["title", "key"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]
    inlines = [DeliveryInline]

    def get_queryset(self, request):
        return _recipients_in_subtree(super().get_queryset(request), request, "recipient")

    def get_changelist_instance(self, request):
        cl = super().get_changelist_instance(request)
        label_rows(cl.result_list)  # one query per kind of object on the page, not one per row
        return cl

    def get_exclude(self, request, obj=None):
        return [] if request.user.is_superuser else ["key"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "subject"]

    @admin.display(description=_("事由"))
    def subject(self, obj):
        return subject_label(obj)


def _masked_address(delivery) -> str:
    return mask_phone(delivery.address) if delivery.channel == "sms" else delivery.address


DELIVERIES = Export(
    sheet=_("消息投递"),
    slug="deliveries",
    columns=[
        text(_("编号"), "id"),
        text(_("通知"), "notification.title"),
        text(_("接收人"), "notification.recipient"),
        label(_("渠道"), "channel"),
        Column(_("地址"), _masked_address),
        label(_("状态"), "status"),
        text(_("发送次数"), "attempts"),
        text(_("最近错误"), "last_error"),
        when(_("创建时间"), "created_at"),
        when(_("发送时间"), "sent_at"),
        when(_("下次发送时间"), "next_attempt_at"),
    ],
    select_related=["notification__recipient"],
)


@admin.register(NotificationDelivery)
class NotificationDeliveryAdmin(ScopedAdmin):
    """Each notification sent by e-mail, SMS or WeChat: read-only; failed ones can be sent again."""

    export = DELIVERIES

    list_display = [
        "notification",
        "recipient",
        "channel",
        "masked_address",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "sent_at",
        "delivered_at",
    ]
    list_filter = [todo_filter(TODO_LINES), "status", "channel", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["notification__title", "notification__key"]
    list_select_related = ["notification__recipient"]
    actions = ["send_again"]
    readonly_fields = [
        "notification",
        "channel",
        "address",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "created_at",
        "sent_at",
        "provider_message_id",
        "delivered_at",
    ]

    def get_queryset(self, request):
        return _recipients_in_subtree(super().get_queryset(request), request, "notification__recipient")

    @admin.display(description=_("接收人"))
    def recipient(self, obj):
        return obj.notification.recipient

    @admin.display(description=_("地址"))
    def masked_address(self, obj):
        return _masked_address(obj)

    def _can_edit(self, request):
        return False  # a log of sends: nobody adds, changes or deletes one (ScopedAdmin's three permissions)

    @admin.action(description=_("重新发送所选投递"), permissions=["view"])
    def send_again(self, request, queryset):
        ids = list(
            queryset.exclude(status=NotificationDelivery.Status.SENT).exclude(address="").values_list("pk", flat=True)
        )
        with transaction.atomic():
            NotificationDelivery.objects.filter(pk__in=ids).update(
                status=NotificationDelivery.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
            )
            transaction.on_commit(lambda: enqueue(ids))
        self.message_user(request, _("已重新排队 %(n)d 条投递。") % {"n": len(ids)}, messages.SUCCESS)


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ScopedAdmin):
    """Each person's channels; set by the person in the portal, seen (not changed) by staff."""

    list_display = ["user", "email", "sms", "wechat", "wechat_bound", "quiet_start", "quiet_end"]
    list_filter = ["email", "sms", "wechat"]
    search_fields = ["user__username", "user__display_name"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    # The OpenID comes from WeChat sign-in, never typed; staff in whose subtree the person is may clear it.
    transitions = (Transition("unbind_wechat", _("解除微信绑定"), unbind_wechat, arg="preference"),)

    def get_queryset(self, request):
        return _recipients_in_subtree(super().get_queryset(request), request, "user")

    def _can_edit(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return is_admin_user(request.user)  # the clear-binding button; every field is read-only but a superuser's

    def get_readonly_fields(self, request, obj=None):
        if not request.user.is_superuser:
            return [f.name for f in self.model._meta.fields]
        return [*super().get_readonly_fields(request, obj), "wechat_openid"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not request.user.is_superuser:  # staff only look, and clear a binding with its button
            extra_context = {**(extra_context or {}), "show_save": False, "show_save_and_continue": False}
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            raise PermissionDenied(_("消息接收设置由本人在门户中修改。"))
        super().save_model(request, obj, form, change)

    @admin.display(description=_("已绑定微信"), boolean=True)
    def wechat_bound(self, obj):
        return bool(obj.wechat_openid)


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(SingletonAdmin):
    list_display = ["__str__", "quiet_start", "quiet_end", "max_attempts", "retry_minutes"]


@admin.register(ExportJob)
class ExportJobAdmin(ScopedAdmin):
    """我的导出: each person's background exports (a superuser's: everyone's), with progress and the file.

    The file is only ever sent by ``download_view``, to the job's owner or a superuser: the list is theirs, and a
    job of someone else answers 404 like a missing one."""

    list_display = ["__str__", "status", "progress", "created_at", "finished_at", "download"]
    list_filter = ["status"]
    list_select_related = ["user"]

    def get_queryset(self, request):
        jobs = super().get_queryset(request)
        return jobs if request.user.is_superuser else jobs.filter(user=request.user)

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return is_admin_user(request.user)

    def delete_model(self, request, obj):
        obj.file.delete(save=False)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for job in queryset:
            job.file.delete(save=False)
        super().delete_queryset(request, queryset)

    @admin.display(description=_("进度"))
    def progress(self, job):
        return f"{job.rows_done}/{job.rows_total}"

    @admin.display(description=_("下载"))
    def download(self, job):
        if job.status != ExportJob.Status.DONE or not job.file:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:core_exportjob_download", args=[job.pk]), _("下载"))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:job_id>/progress/", view(self.progress_view), name="core_exportjob_progress"),
            path("<int:job_id>/download/", view(self.download_view), name="core_exportjob_download"),
            *super().get_urls(),
        ]

    def _job(self, request, job_id) -> ExportJob:
        job = self.get_queryset(request).filter(pk=job_id).first()
        if job is None or not self.has_view_permission(request, job):
            raise Http404(_("记录不存在，或不是您的导出。"))
        return job

    def change_view(self, request, object_id, form_url="", extra_context=None):
        try:
            job_id = int(unquote(object_id))
        except ValueError as exc:
            raise Http404(_("记录不存在，或不是您的导出。")) from exc
        job = self._job(request, job_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": job.title,
            "job": job,
            "progress_url": reverse("admin:core_exportjob_progress", args=[job.pk]),
            "download_url": reverse("admin:core_exportjob_download", args=[job.pk]),
            "list_url": reverse("admin:core_exportjob_changelist"),
        }
        return TemplateResponse(request, "admin/core/exportjob/job.html", context)

    def progress_view(self, request, job_id):
        job = self._job(request, job_id)
        return JsonResponse(
            {
                "status": job.status,
                "status_label": job.get_status_display(),
                "rows_done": job.rows_done,
                "rows_total": job.rows_total,
                "percent": job.percent,
                "finished": job.finished,
            }
        )

    def download_view(self, request, job_id):
        job = self._job(request, job_id)
        if job.status != ExportJob.Status.DONE or not job.file:
            raise Http404(_("文件还没有生成，或已过期删除。"))
        try:
            handle = job.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404(_("文件还没有生成，或已过期删除。")) from exc
        response = FileResponse(handle, content_type=XLSX)
        response["Content-Disposition"] = content_disposition(job.file_name, job.file.name.rsplit("/", 1)[-1])
        return response
