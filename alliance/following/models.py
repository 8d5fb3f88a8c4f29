"""Following an area (关注社区): who follows which community or micro-grid, for which topics, how often and on which
channel; and the digests sent, one per person per frequency and period."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliance.core.feeds import Topic


class Frequency(models.TextChoices):
    DAILY = "daily", _("每日")
    WEEKLY = "weekly", _("每周")


class DigestChannel(models.TextChoices):
    """The channels a digest goes through (a subset of the notification channels: no SMS for a list of items)."""

    EMAIL = "email", _("电子邮件")
    WECHAT = "wechat", _("微信")


class Follow(models.Model):
    """A signed-in person follows one community or micro-grid (a street is too broad: its notices reach every
    community below it) and hears of the chosen topics in a daily or weekly digest."""

    scope_field = "node"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("关注人"), on_delete=models.CASCADE, related_name="follows"
    )
    node = models.ForeignKey(
        "grids.GridNode",
        verbose_name=_("关注的社区或微网格"),
        on_delete=models.CASCADE,
        related_name="follows",
        limit_choices_to={"level__gte": 2},
    )
    topics = models.JSONField(_("关注内容"), default=list, help_text=_("新闻和通知公告、新需求和新项目等，可多选。"))
    frequency = models.CharField(_("推送频率"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY)
    channel = models.CharField(_("接收方式"), max_length=10, choices=DigestChannel.choices, default=DigestChannel.EMAIL)
    # The end of the window of the last digest that included this follow: the next one starts there.
    digested_until = models.DateTimeField(_("已推送至"), null=True, blank=True)
    created_at = models.DateTimeField(_("关注时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("关注")
        verbose_name_plural = _("关注")
        ordering = ["user", "node__path", "pk"]
        constraints = [models.UniqueConstraint(fields=["user", "node"], name="one_follow_per_person_and_area")]
        # The digest job reads the follows of one frequency in primary-key chunks.
        indexes = [models.Index(fields=["frequency", "user"], name="follow_digest_batch")]

    def __str__(self) -> str:
        return f"{self.user} · {self.node}"

    def topic_labels(self) -> list[str]:
        labels = dict(Topic.choices)
        return [str(labels[t]) for t in self.topics if t in labels]


class Digest(models.Model):
    """One digest: the items of a person's follows of one frequency in one period (the day, or the week's Monday).

    The unique (user, frequency, period) makes it exactly once: two runs of the job at the same time, or a
    retried task, meet at the constraint and only one writes the row and sends it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="digests"
    )
    frequency = models.CharField(_("推送频率"), max_length=10, choices=Frequency.choices)
    period = models.DateField(_("周期"), help_text=_("每日推送为当日，每周推送为当周的星期一。"))
    channels = models.JSONField(_("接收方式"), default=list)
    items = models.JSONField(_("内容"), default=list)
    item_count = models.PositiveIntegerField(_("条数"), default=0)
    window_start = models.DateTimeField(_("起始时间"))
    window_end = models.DateTimeField(_("截止时间"))
    run = models.CharField(_("批次"), max_length=32, editable=False)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    last_error = models.CharField(_("失败原因"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("关注动态推送")
        verbose_name_plural = _("关注动态推送")
        ordering = ["-period", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "frequency", "period"], name="one_digest_per_person_and_period")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_frequency_display()} · {self.period}"
