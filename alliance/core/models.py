"""The kernel's models: notifications every app sends (the inbox), the channels each person chose,
the deliveries through them, and the settings of quiet hours and retries.

Moved from ``services`` by migrations that keep every row (services 0009 renames the tables, core 0001
takes over the state, core 0002 moves the content types).
"""

import datetime
import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
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

    # No index of its own: (recipient, key) and (recipient, read_at) both begin with it (one index fewer to
    # write for each of a fan-out's rows).
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,
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
    wechat_openid = models.CharField(
        _("微信 OpenID"), max_length=64, blank=True, help_text=_("在微信中打开本站点“绑定微信”写入，不能手工填写。")
    )
    quiet_start = models.TimeField(_("免打扰开始"), null=True, blank=True, help_text=_("留空则使用全局设置。"))
    quiet_end = models.TimeField(_("免打扰结束"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("消息接收设置")
        verbose_name_plural = _("消息接收设置")
        constraints = [
            # One WeChat account signs in one person: an OpenID is bound to one account at most.
            models.UniqueConstraint(
                fields=["wechat_openid"], condition=~models.Q(wechat_openid=""), name="wechat_openid_bound_once"
            )
        ]

    def __str__(self) -> str:
        return str(self.user)

    def channels(self) -> list[str]:
        return [c for c in (Channel.EMAIL, Channel.SMS, Channel.WECHAT) if getattr(self, c)]

    def clean(self):
        super().clean()
        if (self.quiet_start is None) != (self.quiet_end is None):
            raise ValidationError(_("免打扰开始和结束时间需同时填写，或同时留空。"))
        if self.wechat and not self.wechat_openid:
            raise ValidationError({"wechat": _("选择微信接收前请先绑定微信。")})


class NotificationDelivery(models.Model):
    """One notification sent through one channel: pending → sent / failed, with attempts and the last error.

    The in-app inbox is the ``Notification`` itself; deliveries are written in the same transaction
    as it, sent after commit, and swept by a periodic job, so nothing is lost when the broker is down.
    A log of sends, like ``Notification``: no change history.
    """

    Status = Notification.Status

    # No index of its own: the unique (notification, channel) begins with it.
    notification = models.ForeignKey(
        Notification, verbose_name=_("通知"), on_delete=models.CASCADE, related_name="deliveries", db_index=False
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("地址"), max_length=254, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Notification.Status.choices, default="pending")
    attempts = models.PositiveSmallIntegerField(_("发送次数"), default=0)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(_("下次发送时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    # What the provider calls the message (Alibaba's BizId, Tencent's SerialNo, WeChat's msgid): receipts name it.
    # Indexed only where set (receipts look a message up by it): a delivery not yet sent writes no index entry.
    provider_message_id = models.CharField(_("服务商消息编号"), max_length=100, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("消息投递")
        verbose_name_plural = _("消息投递")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["notification", "channel"], name="one_delivery_per_channel")]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=models.Q(status="pending"), name="delivery_due"),
            models.Index(
                fields=["provider_message_id"], condition=~models.Q(provider_message_id=""), name="delivery_receipt"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notification} · {self.get_channel_display()}"


# ---------------------------------------------------------------------------
# Background Excel exports (alliance.core.exports, export_jobs): one row per export too big for a request.
# ---------------------------------------------------------------------------


class PrivateExportStorage(FileSystemStorage):
    """Files under ``EXPORT_ROOT``, outside ``MEDIA_ROOT``: never served by URL, only by the owner's download view.

    The location is read from the settings on every use (a test or a deployment may move it)."""

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.EXPORT_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("export files have no public URL")


def export_storage():
    return PrivateExportStorage()


def export_file_path(instance, filename: str) -> str:
    return f"{instance.user_id}/{instance.pk or 'new'}-{filename}"


class ExportJob(models.Model):
    """An export run by a worker: who asked, which list with which filters, how far it got, and the file.

    ``query`` is the change list's query string (filters and search, bounded); the worker rebuilds the list
    from it with the scope the person has when it runs. Kept ``EXPORT_KEEP_DAYS`` days (a beat job).
    A record of work, like a notification: no change history.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("正在导出")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导出人"), on_delete=models.CASCADE, related_name="export_jobs"
    )
    export = models.CharField(_("列表"), max_length=100)
    title = models.CharField(_("名称"), max_length=100)
    query = models.CharField(_("筛选条件"), max_length=2000, blank=True)
    # The language of the page the export was asked from: the worker writes the headers and the notice in it.
    language = models.CharField(_("语言"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    rows_total = models.PositiveIntegerField(_("总行数"), default=0)
    rows_done = models.PositiveIntegerField(_("已导出行数"), default=0)
    file = models.FileField(_("文件"), storage=export_storage, upload_to=export_file_path, max_length=300, blank=True)
    file_name = models.CharField(_("文件名"), max_length=150, blank=True)
    error = models.CharField(_("失败原因"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导出任务")
        verbose_name_plural = _("我的导出")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "created_at"], name="export_job_user"),
            models.Index(fields=["created_at"], name="export_job_created"),
        ]

    def __str__(self) -> str:
        return self.file_name or self.title

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)


# ---------------------------------------------------------------------------
# Fan-out (alliance.core.fanout): one message to everybody of an area, written in batches by the workers.
# ---------------------------------------------------------------------------


class Broadcast(models.Model):
    """One message sent to a whole audience (a notice to every resident of a street or of the district).

    ``key`` is the key of every inbox row it writes (unique per person and key), so the same broadcast never
    reaches anybody twice. The audience is named (``alliance.core.fanout.AUDIENCES``) with its argument (the
    area), split into ``BroadcastBatch`` ranges of primary keys when the job starts. A record of work: no
    change history.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("正在发送")
        DONE = "done", _("已完成")

    key = models.CharField(_("去重键"), max_length=120, unique=True)
    audience = models.CharField(_("接收人范围"), max_length=60)
    area = models.CharField(_("区域"), max_length=40, blank=True, help_text=_("留空为全区。"))
    area_name = models.CharField(_("区域名称"), max_length=100, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    batch_size = models.PositiveIntegerField(_("每批人数"), default=2000)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    people_total = models.PositiveIntegerField(_("接收人数"), default=0)
    batches_total = models.PositiveIntegerField(_("批次数"), default=0)
    notifications_created = models.PositiveIntegerField(_("已写入通知"), default=0)
    deliveries_created = models.PositiveIntegerField(_("已写入投递"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    start_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始发送时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("群发任务")
        verbose_name_plural = _("群发任务")
        ordering = ["-created_at", "-id"]
        # The sweep's question: which broadcasts are not finished (few rows, most of them done).
        indexes = [models.Index(fields=["start_at"], condition=~models.Q(status="done"), name="broadcast_open")]

    def __str__(self) -> str:
        return self.title


class BroadcastBatch(models.Model):
    """One range of the audience's primary keys [first_pk, next_pk): written in one transaction, marked done in it.

    ``first_pk`` is empty for the first batch and ``next_pk`` for the last (people who join the area after the
    start fall in a batch too). ``lease_until``: a batch not done by then was lost with its worker and is sent
    again by the sweep.
    """

    broadcast = models.ForeignKey(
        Broadcast, verbose_name=_("群发任务"), on_delete=models.CASCADE, related_name="batches"
    )
    number = models.PositiveIntegerField(_("批次"))
    first_pk = models.BigIntegerField(_("起始编号"), null=True, blank=True)
    next_pk = models.BigIntegerField(_("截止编号"), null=True, blank=True)
    people = models.PositiveIntegerField(_("人数"), default=0)
    lease_until = models.DateTimeField(_("租约到期"), null=True, blank=True)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    notifications_created = models.PositiveIntegerField(_("写入通知"), default=0)
    deliveries_created = models.PositiveIntegerField(_("写入投递"), default=0)

    class Meta:
        verbose_name = _("群发批次")
        verbose_name_plural = _("群发批次")
        ordering = ["broadcast", "number"]
        constraints = [models.UniqueConstraint(fields=["broadcast", "number"], name="broadcast_batch_once")]
        # The sweep's question: batches not done whose lease ran out.
        indexes = [models.Index(fields=["lease_until"], condition=models.Q(done_at__isnull=True), name="batch_open")]

    def __str__(self) -> str:
        return f"{self.broadcast} · {self.number}"
