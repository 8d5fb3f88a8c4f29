"""Admin of the kernel's notifications: the inbox rows, their deliveries, each person's channels, the settings.

Notifications, deliveries and preferences are rows about accounts, not scoped rows of the grid: staff see those
of accounts in their own subtree (superusers all).
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance.core.admin_base import NeitherAddedNorChanged, ScopedAdmin, SingletonAdmin, Transition, is_admin_user
from alliance.core.channels.binding import unbind_wechat
from alliance.core.models import Notification, NotificationDelivery, NotificationPreference, NotificationSettings
from alliance.core.notifications import enqueue
from alliance.core.privacy import mask_phone
from alliance.core.scoping import subtree_q


def _recipients_in_subtree(qs, request, path: str):
    """Rows about accounts: staff see those of accounts in their subtree (superusers all)."""
    if request.user.is_superuser:
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
    list_display = ["title", "recipient", "key", "status", "created_at", "read_at"]
    list_filter = ["status"]
    search_fields = ["title", "key"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]
    inlines = [DeliveryInline]

    def get_queryset(self, request):
        return _recipients_in_subtree(super().get_queryset(request), request, "recipient")


@admin.register(NotificationDelivery)
class NotificationDeliveryAdmin(ScopedAdmin):
    """Each notification sent by e-mail, SMS or WeChat: read-only; failed ones can be sent again."""

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
    list_filter = ["status", "channel", ("created_at", admin.DateFieldListFilter)]
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
        return mask_phone(obj.address) if obj.channel == "sms" else obj.address

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
