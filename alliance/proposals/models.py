"""Residents' proposals (微建议 / 居民议事): a resident proposes, the community moderates, neighbours support and
comment, and a proposal with enough support goes to the community's council or the street's joint committee as
a matter, whose result its page then follows."""

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliance.core.model_bases import TimelineEvent, optional_user
from services.models import latitude, longitude

TEXT_MAX = 2000
COMMENT_MAX = 500
REASON_MAX = 300
DEFAULT_THRESHOLD = 20
DEFAULT_SUPPORT_DAYS = 30


class ProposalRule(models.Model):
    """A community's rule for its proposals: how many supports raise one, to which body, for how long."""

    scope_field = "community"

    class Target(models.TextChoices):
        COUNCIL = "council", _("社区大党委（议事会）")
        JOINT = "joint", _("街道大工委")

    community = models.OneToOneField(
        "grids.GridNode",
        verbose_name=_("社区"),
        on_delete=models.CASCADE,
        related_name="proposal_rule",
        limit_choices_to={"level": 2},
    )
    threshold = models.PositiveSmallIntegerField(
        _("提交议事所需支持数"),
        default=DEFAULT_THRESHOLD,
        validators=[MinValueValidator(1), MaxValueValidator(10000)],
    )
    target = models.CharField(_("提交给"), max_length=10, choices=Target.choices, default=Target.COUNCIL)
    support_days = models.PositiveSmallIntegerField(
        _("征集支持天数"),
        default=DEFAULT_SUPPORT_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("发布后多少天内可以支持。"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("微建议规则")
        verbose_name_plural = _("微建议规则")
        constraints = [
            models.CheckConstraint(condition=models.Q(threshold__gte=1), name="proposal_rule_threshold_positive"),
            models.CheckConstraint(condition=models.Q(support_days__gte=1), name="proposal_rule_days_positive"),
        ]

    def __str__(self) -> str:
        return gettext("%(community)s：%(n)s人支持") % {"community": self.community, "n": self.threshold}


class Proposal(models.Model):
    """微建议: a resident's proposal for their community."""

    scope_field = "community"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待审核")
        PUBLISHED = "published", _("征集支持中")
        DECLINED = "declined", _("未采纳")
        MERGED = "merged", _("已合并")
        RAISED = "raised", _("已提交议事")

    title = models.CharField(_("标题"), max_length=100)
    text = models.TextField(_("建议内容"), validators=[MaxLengthValidator(TEXT_MAX)])
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提出人"), on_delete=models.PROTECT, related_name="proposals"
    )
    community = models.ForeignKey(
        "grids.GridNode", verbose_name=_("所在社区"), on_delete=models.PROTECT, related_name="proposals"
    )
    micro_grid = models.ForeignKey(
        "grids.GridNode",
        verbose_name=_("所在微网格"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    location = models.CharField(_("具体位置"), max_length=200, blank=True)
    lat = latitude(_("纬度"))
    lng = longitude(_("经度"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    support_count = models.PositiveIntegerField(_("支持数"), default=0)
    submitted_at = models.DateTimeField(_("提出时间"))
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = optional_user(_("发布人"))
    supports_close_at = models.DateTimeField(_("征集截止"), null=True, blank=True)
    declined_at = models.DateTimeField(_("不采纳时间"), null=True, blank=True)
    declined_by = optional_user(_("不采纳登记人"))
    decline_reason = models.CharField(_("不采纳理由"), max_length=REASON_MAX, blank=True)
    merged_at = models.DateTimeField(_("合并时间"), null=True, blank=True)
    merged_by = optional_user(_("合并登记人"))
    merged_into = models.ForeignKey(
        "self", verbose_name=_("合并到"), null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    raised_at = models.DateTimeField(_("提交议事时间"), null=True, blank=True)
    # The committee's matter the proposal became (once: the link is set under the proposal's row lock).
    matter = models.OneToOneField(
        "alliance.Matter",
        verbose_name=_("议题"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("微建议")
        verbose_name_plural = _("微建议")
        ordering = ["-submitted_at", "-id"]
        # The public list reads a community's proposals in a stage, newest first.
        indexes = [models.Index(fields=["community", "status", "-submitted_at"], name="proposal_list")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="merged") | models.Q(merged_into__isnull=False),
                name="proposal_merged_has_target",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("proposals:proposal", args=[self.pk])

    def record_timeline(self, kind, *, by, at, note: str = "", **details) -> "ProposalEvent":
        """One step of the proposal's moderation history (alliance.core.transitions calls it)."""
        return ProposalEvent.objects.create(proposal=self, kind=kind, by=by, at=at, note=note[:REASON_MAX])


def proposal_photo_path(instance, filename: str) -> str:
    return f"proposals/{instance.proposal_id or 'new'}/{filename}"


class ProposalPhoto(models.Model):
    scope_field = "proposal__community"

    proposal = models.ForeignKey(Proposal, verbose_name=_("微建议"), on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("照片"), upload_to=proposal_photo_path)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("微建议照片")
        verbose_name_plural = _("微建议照片")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.image.name


class Support(models.Model):
    """One person's support of a proposal (one each: the database says so)."""

    scope_field = "proposal__community"

    proposal = models.ForeignKey(Proposal, verbose_name=_("微建议"), on_delete=models.CASCADE, related_name="supports")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("支持人"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("支持时间"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("支持")
        verbose_name_plural = _("支持")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["proposal", "person"], name="one_support_per_person")]

    def __str__(self) -> str:
        return f"{self.proposal} · {self.pk}"


class Comment(models.Model):
    """A comment on a published proposal; the community may hide it, with a reason."""

    scope_field = "proposal__community"

    proposal = models.ForeignKey(Proposal, verbose_name=_("微建议"), on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("评论人"), on_delete=models.CASCADE, related_name="+"
    )
    text = models.CharField(_("评论"), max_length=COMMENT_MAX)
    created_at = models.DateTimeField(_("评论时间"))
    hidden = models.BooleanField(_("已隐藏"), default=False)
    hidden_at = models.DateTimeField(_("隐藏时间"), null=True, blank=True)
    hidden_by = optional_user(_("隐藏人"))
    hide_reason = models.CharField(_("隐藏理由"), max_length=REASON_MAX, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("微建议评论")
        verbose_name_plural = _("微建议评论")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["proposal", "hidden", "created_at"], name="proposal_comments_shown")]

    def __str__(self) -> str:
        return self.text[:30]

    def record_timeline(self, kind, *, by, at, note: str = "", **details) -> "ProposalEvent":
        """A moderation step on a comment goes into its proposal's history."""
        return ProposalEvent.objects.create(
            proposal_id=self.proposal_id, kind=kind, by=by, at=at, note=note[:REASON_MAX]
        )


class ProposalEvent(TimelineEvent):
    """One step of a proposal's moderation history: who, when, why."""

    scope_field = "proposal__community"

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("提出建议")
        PUBLISHED = "published", _("审核发布")
        DECLINED = "declined", _("不予采纳")
        MERGED = "merged", _("合并重复建议")
        RAISED = "raised", _("提交议事")
        COMMENT_HIDDEN = "comment_hidden", _("隐藏评论")

    proposal = models.ForeignKey(Proposal, verbose_name=_("微建议"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    note = models.CharField(_("说明"), max_length=REASON_MAX, blank=True)

    class Meta(TimelineEvent.Meta):
        verbose_name = _("微建议审核记录")
        verbose_name_plural = _("微建议审核记录")
