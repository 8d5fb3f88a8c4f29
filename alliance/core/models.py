"""The kernel's models: notifications every app sends (the inbox), the channels each person chose,
the deliveries through them, and the settings of quiet hours and retries.

Moved from ``services`` by migrations that keep every row (services 0009 renames the tables, core 0001
takes over the state, core 0002 moves the content types).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliance.core.singleton import SingletonModel


class Notification(models.Model):
    """A message to one account: in the inbox, and by e-mail/SMS as the person chose.

    ``key`` names the object and the step ("order:42:remind-1"); the unique constraint on
    (recipient, key) is what makes every reminder go out once, however often a job runs.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications"
    )
    key = models.CharField(_("去重键"), max_length=120)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("发送次数"), default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key")]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title


# ---------------------------------------------------------------------------
# Notification channels: each person's choices, global quiet hours and retries, one delivery per channel.
# ---------------------------------------------------------------------------


class Channel(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")
    WECHAT = "wechat", _("微信")


class NotificationSettings(SingletonModel):
    """One row: quiet hours (Asia/Shanghai) holding SMS/WeChat, and how often a failed delivery is retried."""

    quiet_start = models.TimeField(_("免打扰开始"), default=datetime.time(22, 0))
    quiet_end = models.TimeField(_("免打扰结束"), default=datetime.time(7, 0))
    max_attempts = models.PositiveSmallIntegerField(_("最多发送次数"), default=4)
    retry_minutes = models.PositiveSmallIntegerField(
        _("首次重试间隔（分钟）"), default=5, help_text=_("之后每次加倍。")
    )

    history = HistoricalRecords()

    class Meta(SingletonModel.Meta):
        verbose_name = _("消息发送设置")
        verbose_name_plural = _("消息发送设置")


class NotificationPreference(models.Model):
    """The channels one person chose besides the inbox (always on), and their own quiet hours."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email = models.BooleanField(_("电子邮件"), default=False)
    sms = models.BooleanField(_("短信"), default=False)
    wechat = models.BooleanField(_("微信"), default=False)
    wechat_openid = models.CharField(_("微信 OpenID"), max_length=64, blank=True)
    quiet_start = models.TimeField(_("免打扰开始"), null=True, blank=True, help_text=_("留空则使用全局设置。"))
    quiet_end = models.TimeField(_("免打扰结束"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("消息接收设置")
        verbose_name_plural = _("消息接收设置")

    def __str__(self) -> str:
        return str(self.user)

    def channels(self) -> list[str]:
        return [c for c in (Channel.EMAIL, Channel.SMS, Channel.WECHAT) if getattr(self, c)]

    def clean(self):
        super().clean()
        if (self.quiet_start is None) != (self.quiet_end is None):
            raise ValidationError(_("免打扰开始和结束时间需同时填写，或同时留空。"))
        if self.wechat and not self.wechat_openid:
            raise ValidationError({"wechat_openid": _("选择微信接收时请填写微信 OpenID。")})


class NotificationDelivery(models.Model):
    """One notification sent through one channel: pending → sent / failed, with attempts and the last error.

    The in-app inbox is the ``Notification`` itself; deliveries are written in the same transaction
    as it, sent after commit, and swept by a periodic job, so nothing is lost when the broker is down.
    A log of sends, like ``Notification``: no change history.
    """

    Status = Notification.Status

    notification = models.ForeignKey(
        Notification, verbose_name=_("通知"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("地址"), max_length=254, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Notification.Status.choices, default="pending")
    attempts = models.PositiveSmallIntegerField(_("发送次数"), default=0)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(_("下次发送时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("消息投递")
        verbose_name_plural = _("消息投递")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["notification", "channel"], name="one_delivery_per_channel")]
        indexes = [models.Index(fields=["next_attempt_at"], condition=models.Q(status="pending"), name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.notification} · {self.get_channel_display()}"
