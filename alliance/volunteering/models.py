"""Dual reporting (双报到): a party member reports to the community where they live, pledges a post there, and at
year end the community sends the member's unit a feedback sheet (报到反馈单) of their hours, services and evaluation."""

from django.db import models
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliance.core.model_bases import optional_user


class ServeTime(models.TextChoices):
    """When a member can serve (several may be chosen)."""

    WEEKDAY_EVENINGS = "weekday_evenings", _("工作日晚间")
    WEEKDAY_DAYTIME = "weekday_daytime", _("工作日白天")
    WEEKENDS = "weekends", _("周末")
    HOLIDAYS = "holidays", _("节假日")
    ON_CALL = "on_call", _("随叫随到")


class DualReport(models.Model):
    """One party member's report to a community (双报到): where they live, what they can do, when, and the post
    they pledge (认领岗位: a grid team, a service-menu item or a volunteer role, exactly one).

    submitted → confirmed by the community (the member's community and reported_on are set), or returned with a
    reason → resubmitted by the member (→ confirmed / returned again)."""

    scope_field = "community"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待确认")
        CONFIRMED = "confirmed", _("已报到")
        RETURNED = "returned", _("已退回")
        RESUBMITTED = "resubmitted", _("重新提交待确认")

    WAITING = (Status.SUBMITTED, Status.RESUBMITTED)

    member = models.ForeignKey(
        "members.PartyMember", verbose_name=_("党员"), on_delete=models.CASCADE, related_name="dual_reports"
    )
    community = models.ForeignKey(
        "grids.GridNode",
        verbose_name=_("报到社区"),
        on_delete=models.PROTECT,
        related_name="dual_reports",
        limit_choices_to={"level": 2},
    )
    micro_grid = models.ForeignKey(
        "grids.GridNode",
        verbose_name=_("居住微网格"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": 3},
    )
    in_service = models.BooleanField(_("在职党员"), default=True)
    unit = models.ForeignKey(
        "members.MemberUnit",
        verbose_name=_("工作单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dual_reports",
        help_text=_("在职党员填写组织关系所在单位。"),
    )
    party_organization = models.CharField(_("所在党组织"), max_length=100, blank=True)
    skills = models.ManyToManyField("members.Skill", verbose_name=_("特长"), blank=True, related_name="dual_reports")
    serve_times = models.JSONField(_("可服务时间"), default=list, blank=True)
    serve_note = models.CharField(_("时间说明"), max_length=100, blank=True)
    team = models.ForeignKey(
        "grids.Team",
        verbose_name=_("认领网格队伍岗位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dual_reports",
    )
    menu_item = models.ForeignKey(
        "services.MenuItem",
        verbose_name=_("认领服务菜单项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dual_reports",
    )
    volunteer_role = models.CharField(_("认领志愿岗位"), max_length=50, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    return_reason = models.CharField(_("退回原因"), max_length=200, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"))
    submitted_by = optional_user(_("提交人"))
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirmed_by = optional_user(_("确认人"))
    returned_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    returned_by = optional_user(_("退回人"))
    resubmitted_at = models.DateTimeField(_("重新提交时间"), null=True, blank=True)
    resubmitted_by = optional_user(_("重新提交人"))

    history = HistoricalRecords(m2m_fields=[skills])

    class Meta:
        verbose_name = _("双报到")
        verbose_name_plural = _("双报到")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["community", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["member"], name="one_dual_report_per_member"),
            models.CheckConstraint(
                condition=(
                    models.Q(team__isnull=False, menu_item__isnull=True, volunteer_role="")
                    | models.Q(team__isnull=True, menu_item__isnull=False, volunteer_role="")
                    | (models.Q(team__isnull=True, menu_item__isnull=True) & ~models.Q(volunteer_role=""))
                ),
                name="dual_report_one_post",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.community}"

    @property
    def post_text(self) -> str:
        """The pledged post in words."""
        if self.team_id:
            return gettext("网格队伍：%(name)s") % {"name": self.team.name}
        if self.menu_item_id:
            return gettext("服务菜单：%(name)s") % {"name": self.menu_item.title}
        return gettext("志愿岗位：%(name)s") % {"name": self.volunteer_role}

    @property
    def serve_times_text(self) -> str:
        labels = dict(ServeTime.choices)
        shown = pgettext("list separator", "、").join(str(labels.get(t, t)) for t in self.serve_times or [])
        if self.serve_note and shown:
            return gettext("%(times)s（%(note)s）") % {"times": shown, "note": self.serve_note}
        return shown or self.serve_note

    @property
    def waiting(self) -> bool:
        return self.status in self.WAITING


class FeedbackSheet(models.Model):
    """报到反馈单: the community's year-end account of one dual-reported member for the party organisation of the
    member's own unit: the hours and services the platform recorded that year, and the community's evaluation."""

    scope_field = "community"

    class Evaluation(models.TextChoices):
        EXCELLENT = "excellent", _("优秀")
        GOOD = "good", _("合格")
        FAIR = "fair", _("基本合格")
        POOR = "poor", _("不合格")

    member = models.ForeignKey(
        "members.PartyMember", verbose_name=_("党员"), on_delete=models.CASCADE, related_name="feedback_sheets"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    community = models.ForeignKey(
        "grids.GridNode", verbose_name=_("报到社区"), on_delete=models.PROTECT, related_name="feedback_sheets"
    )
    unit = models.ForeignKey(
        "members.MemberUnit",
        verbose_name=_("工作单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_sheets",
    )
    party_organization = models.CharField(_("所在党组织"), max_length=100, blank=True)
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=7, decimal_places=2, default=0)
    services = models.PositiveIntegerField(_("服务次数"), default=0)
    evaluation = models.CharField(_("社区评价"), max_length=20, choices=Evaluation.choices, blank=True)
    comment = models.CharField(_("评语"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    created_by = optional_user(_("生成人"))
    evaluated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    evaluated_by = optional_user(_("评价人"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("报到反馈单")
        verbose_name_plural = _("报到反馈单")
        ordering = ["-year", "community", "member"]
        constraints = [models.UniqueConstraint(fields=["member", "year"], name="one_feedback_sheet_per_member_year")]

    def __str__(self) -> str:
        return gettext("%(year)s年 %(member)s") % {"year": self.year, "member": self.member}
