"""The joint committee (大工委): committees, seats, rotating chairs, meetings and matters."""

import datetime
import json
import uuid

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_celery_results.models import TaskResult
from simple_history.models import HistoricalRecords

from alliance.core.model_bases import optional_user
from alliance.core.singleton import SingletonModel


class Committee(models.Model):
    """A deliberative body: the district joint conference, a street joint committee, a community big party
    committee, a professional committee.

    District-level committees (the district conference and its professional committees) have no grid node: null
    means the district, above every street. Street and community admins never see them (a scoped query matches
    grid paths); superusers and district admins see everything."""

    scope_field = "grid_node"

    class Kind(models.TextChoices):
        DISTRICT_JOINT = "district_joint", _("区联席会议")
        STREET_JOINT = "street_joint", _("街道大工委")
        COMMUNITY_PARTY = "community_party", _("社区大党委")
        PROFESSIONAL = "professional", _("专业委员会")

    class Field(models.TextChoices):
        NONE = "", _("—")
        HEALTH = "health", _("医疗卫生")
        CULTURE = "culture", _("文化艺术")
        EDUCATION = "education", _("教育宣传")
        SOCIAL = "social", _("社会服务")
        LAW = "law", _("政法综合")
        ECONOMY = "economy", _("经济贸易")
        SCIENCE = "science", _("科技")

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    field = models.CharField(_("专业领域"), max_length=20, choices=Field.choices, blank=True)
    grid_node = models.ForeignKey(
        "grids.GridNode",
        verbose_name=_("所属网格"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="committees",
        help_text=_("区联席会议及其专业委员会不选网格（属于全区）。"),
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("上级委员会"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    description = models.TextField(_("简介"), blank=True)
    holds_monthly_deliberation = models.BooleanField(
        _("每月固定议事日"),
        default=False,
        help_text=_("勾选后，每月议事日自动创建当月联席会议并提醒委员。"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("委员会")
        verbose_name_plural = _("委员会")
        ordering = [models.F("grid_node__path").asc(nulls_first=True), "kind", "id"]
        constraints = [
            # The district conference belongs to the district (no grid node); a committee without a grid node is
            # the district conference or a professional committee (its parent, the conference, is checked in clean).
            models.CheckConstraint(
                condition=~models.Q(kind="district_joint") | models.Q(grid_node__isnull=True),
                name="district_committee_has_no_grid_node",
            ),
            models.CheckConstraint(
                condition=models.Q(grid_node__isnull=False) | models.Q(kind__in=["district_joint", "professional"]),
                name="only_district_committees_without_grid_node",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_district(self) -> bool:
        """A committee of the district (the district conference or one of its professional committees)."""
        return self.grid_node_id is None

    def clean(self):
        super().clean()
        if self.kind == self.Kind.DISTRICT_JOINT:
            if self.grid_node_id:
                raise ValidationError({"grid_node": _("区联席会议属于全区，不选网格。")})
        elif self.grid_node_id is None:
            parent = self.parent if self.parent_id else None
            if self.kind != self.Kind.PROFESSIONAL or parent is None or parent.kind != self.Kind.DISTRICT_JOINT:
                raise ValidationError({"grid_node": _("请选择所属网格：只有区联席会议及其专业委员会可以不选网格。")})


class Matter(models.Model):
    """议题/事项: raised by a unit, a community or from a resident issue; studied in meetings."""

    scope_field = "committee__grid_node"

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("已提出")
        UNDER_STUDY = "under_study", _("研究中")
        RESOLVED = "resolved", _("已议决")
        DEFERRED = "deferred", _("暂缓")

    committee = models.ForeignKey(Committee, verbose_name=_("委员会"), on_delete=models.PROTECT, related_name="matters")
    title = models.CharField(_("议题"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    raised_by = optional_user(_("提出人"))
    raised_by_unit = models.ForeignKey(
        "members.MemberUnit",
        verbose_name=_("提出单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="matters",
    )
    # Where the matter came from: a need (projects.Need), a resident issue (services.Issue), …
    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    resolution = models.TextField(_("议决结果"), blank=True)
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("议决时间"), null=True, blank=True)
    resolved_by = optional_user(_("议决登记人"))
    studied_at = models.DateTimeField(_("开始研究时间"), null=True, blank=True)
    studied_by = optional_user(_("研究登记人"))
    deferred_at = models.DateTimeField(_("暂缓时间"), null=True, blank=True)
    deferred_by = optional_user(_("暂缓登记人"))
    defer_reason = models.TextField(_("暂缓原因"), blank=True)
    # The follow-up of a resolved matter, shown publicly until it is done.
    progress = models.PositiveSmallIntegerField(_("落实进度（%）"), default=0, validators=[MaxValueValidator(100)])
    progress_note = models.CharField(_("进度说明"), max_length=200, blank=True)
    progress_updated_at = models.DateTimeField(_("进度更新时间"), null=True, blank=True)
    done_at = models.DateTimeField(_("落实完成时间"), null=True, blank=True)
    # 区街联动: a street joint committee's matter raised to the district conference (``escalated_to``, whose
    # ``source`` is this matter) and, once the district has decided, handed back to the street to carry out.
    escalated_to = models.OneToOneField(
        "self",
        verbose_name=_("提交区联席会议的议题"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="escalated_from",
        editable=False,
    )
    escalated_at = models.DateTimeField(_("提交区联席会议时间"), null=True, blank=True)
    escalated_by = optional_user(_("提交人"))
    escalation_note = models.TextField(_("提交说明"), blank=True)
    handed_back_at = models.DateTimeField(_("交回街道时间"), null=True, blank=True)
    handed_back_by = optional_user(_("交回登记人"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("议题")
        verbose_name_plural = _("议题")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["source_type", "source_id"]), models.Index(fields=["status", "resolved_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="matter_progress_0_to_100"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def follow_up_open(self) -> bool:
        """A resolved matter whose follow-up is not done yet: shown publicly with its progress."""
        return self.status == self.Status.RESOLVED and self.done_at is None

    def source_url(self) -> str:
        """The public page of the object the matter came from (a need, a resident issue), if it has one:
        its ``get_absolute_url``, else the URL named ``<app>:<model>`` taking its pk."""

        source = self.source if self.source_type_id else None
        if source is None:
            return ""
        get_url = getattr(source, "get_absolute_url", None)
        if get_url:
            return get_url()
        try:
            return reverse(f"{source._meta.app_label}:{source._meta.model_name}", args=[source.pk])
        except NoReverseMatch:
            return ""


class Milestone(models.Model):
    """A step of a resolved matter's follow-up (落实节点)."""

    scope_field = "matter__committee__grid_node"

    matter = models.ForeignKey(Matter, verbose_name=_("议题"), on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点"), max_length=200)
    due_on = models.DateField(_("计划完成"), null=True, blank=True)
    done_on = models.DateField(_("实际完成"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    # 督办: who answers for the milestone (a person, and optionally the unit they act for); reminded once
    # when it is overdue (alliance.committee.actions.supervision).
    owner = optional_user(_("负责人"), related_name="owned_milestones")
    owner_unit = models.ForeignKey(
        "members.MemberUnit",
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="milestones",
    )
    done_at = models.DateTimeField(_("完成登记时间"), null=True, blank=True)
    done_by = optional_user(_("完成登记人"))
    reminded_at = models.DateTimeField(_("逾期提醒时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("落实节点")
        verbose_name_plural = _("落实节点")
        ordering = ["matter", "sort_order", "id"]
        # The daily 督办 sweep and the overdue lists read open milestones by due date.
        indexes = [
            models.Index(fields=["due_on"], condition=models.Q(done_on__isnull=True), name="milestone_open_due"),
        ]

    def __str__(self) -> str:
        return self.title

    def days_late(self, today: datetime.date) -> int:
        """Days past the due date (0 when on time, done, or without a due date)."""
        if self.due_on is None:
            return 0
        end = self.done_on or today
        return max((end - self.due_on).days, 0)


class CommitteeSettings(SingletonModel):
    """The tunable rules of the joint committee: one row for the district."""

    deliberation_day = models.PositiveSmallIntegerField(
        _("每月议事日"),
        default=25,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_("每月第几日召开联席会议（1–28；超过当月天数时取月末）。"),
    )
    meeting_time = models.TimeField(_("议事日开会时间"), default=datetime.time(9, 0))
    meeting_hours = models.PositiveSmallIntegerField(_("会议时长（小时）"), default=2)
    default_place = models.CharField(_("默认会议地点"), max_length=200, default="街道党群服务中心会议室")
    first_minutes_reminder_days = models.PositiveSmallIntegerField(_("会后几天未录纪要首次提醒"), default=3)
    second_minutes_reminder_days = models.PositiveSmallIntegerField(_("会后几天未录纪要再次提醒"), default=7)
    rotation_months = models.PositiveSmallIntegerField(
        _("轮值周期（月）"), default=6, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )

    history = HistoricalRecords()

    class Meta(SingletonModel.Meta):
        verbose_name = _("大工委设置")
        verbose_name_plural = _("大工委设置")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deliberation_day__gte=1, deliberation_day__lte=31), name="deliberation_day_1_to_31"
            ),
            models.CheckConstraint(condition=models.Q(rotation_months__gte=1), name="rotation_months_at_least_1"),
            *SingletonModel.Meta.constraints,
        ]


class Seat(models.Model):
    """A person on a committee, the unit they come from, their role and term."""

    scope_field = "committee__grid_node"

    class Role(models.TextChoices):
        SECRETARY = "secretary", _("书记")
        FULL_TIME = "full_time", _("专职委员")
        PART_TIME = "part_time", _("兼职委员")

    committee = models.ForeignKey(Committee, verbose_name=_("委员会"), on_delete=models.CASCADE, related_name="seats")
    person_name = models.CharField(_("姓名"), max_length=50)
    title = models.CharField(_("职务"), max_length=100, blank=True)
    user = optional_user(_("平台账号"), related_name="seats", help_text=_("有账号的委员会收到会议提醒。"))
    unit = models.ForeignKey(
        "members.MemberUnit",
        verbose_name=_("所在单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="seats",
    )
    role = models.CharField(_("身份"), max_length=20, choices=Role.choices, default=Role.PART_TIME)
    term_start = models.DateField(_("任期开始"))
    term_end = models.DateField(_("任期结束"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("委员")
        verbose_name_plural = _("委员")
        ordering = ["committee", "role", "sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(term_end__isnull=True) | models.Q(term_end__gte=models.F("term_start")),
                name="seat_term_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_name}({self.get_role_display()})"

    def clean(self):
        super().clean()
        if self.term_start and self.term_end and self.term_end < self.term_start:
            raise ValidationError({"term_end": _("任期结束不能早于任期开始。")})

    def is_current(self, on: datetime.date) -> bool:
        return self.term_start <= on and (self.term_end is None or self.term_end >= on)


class ChairRotation(models.Model):
    """轮值主任单位: which unit chairs a committee in which period."""

    scope_field = "committee__grid_node"

    committee = models.ForeignKey(
        Committee, verbose_name=_("委员会"), on_delete=models.CASCADE, related_name="rotations"
    )
    unit = models.ForeignKey(
        "members.MemberUnit", verbose_name=_("轮值单位"), on_delete=models.PROTECT, related_name="chair_rotations"
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("轮值主任单位")
        verbose_name_plural = _("轮值主任单位")
        ordering = ["committee", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "starts_on"], name="rotation_once_per_start"),
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="rotation_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.unit}({self.starts_on:%Y-%m-%d}–{self.ends_on:%Y-%m-%d})"

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})


class Meeting(models.Model):
    """联席会议: scheduled → held (minutes, attendance, decisions) / cancelled."""

    scope_field = "committee__grid_node"

    class Kind(models.TextChoices):
        PLENARY = "plenary", _("全体会议")
        STANDING = "standing", _("常务会议")
        GRID = "grid", _("网格联席会议")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("已安排")
        HELD = "held", _("已召开")
        CANCELLED = "cancelled", _("已取消")

    committee = models.ForeignKey(
        Committee, verbose_name=_("委员会"), on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(_("会议类型"), max_length=20, choices=Kind.choices, default=Kind.PLENARY)
    title = models.CharField(_("会议名称"), max_length=200)
    summary = models.TextField(_("公开摘要"), blank=True, help_text=_("在门户和日历订阅中公开显示。"))
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=200)
    # The month of a monthly deliberation-day meeting (its first day): one per committee and month.
    deliberation_month = models.DateField(_("议事月份"), null=True, blank=True, editable=False)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    minutes = models.TextField(_("会议纪要"), blank=True)
    decisions = models.TextField(_("议定事项"), blank=True)
    held_at = models.DateTimeField(_("召开登记时间"), null=True, blank=True, editable=False)
    held_by = optional_user(_("召开登记人"), editable=False)
    minutes_at = models.DateTimeField(_("纪要录入时间"), null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True, editable=False)
    cancelled_by = optional_user(_("取消人"), editable=False)
    cancel_reason = models.TextField(_("取消原因"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = optional_user(_("创建人"), editable=False)
    matters = models.ManyToManyField(Matter, through="AgendaItem", related_name="meetings", verbose_name=_("议程"))

    history = HistoricalRecords(m2m_fields=[])

    class Meta:
        verbose_name = _("联席会议")
        verbose_name_plural = _("联席会议")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["status", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gte=models.F("starts_at")), name="meeting_in_order"),
            models.UniqueConstraint(
                fields=["committee", "deliberation_month"],
                condition=models.Q(deliberation_month__isnull=False),
                name="one_deliberation_meeting_per_month",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("结束时间不能早于开始时间。")})


class AgendaItem(models.Model):
    """A matter on a meeting's agenda, in order."""

    scope_field = "meeting__committee__grid_node"

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="agenda")
    matter = models.ForeignKey(Matter, verbose_name=_("议题"), on_delete=models.PROTECT, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("议程")
        verbose_name_plural = _("议程")
        ordering = ["meeting", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "matter"], name="matter_once_per_agenda")]

    def __str__(self) -> str:
        return f"{self.position}. {self.matter}"


class Invitation(models.Model):
    """An invitation to a meeting, for a seat or a whole unit: the answer and the check-in."""

    scope_field = "meeting__committee__grid_node"

    class Answer(models.TextChoices):
        PENDING = "pending", _("未答复")
        ATTEND = "attend", _("参加")
        DECLINE = "decline", _("不参加")

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="invitations")
    seat = models.ForeignKey(
        Seat, verbose_name=_("委员"), null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    unit = models.ForeignKey(
        "members.MemberUnit",
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="meeting_invitations",
        help_text=_("委员所在单位，或受邀列席的单位。"),
    )
    answer = models.CharField(_("答复"), max_length=20, choices=Answer.choices, default=Answer.PENDING)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = optional_user(_("答复人"))
    checked_in = models.BooleanField(_("已签到"), default=False)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("参会邀请")
        verbose_name_plural = _("参会邀请")
        ordering = ["meeting", "seat__role", "seat__sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(seat__isnull=False) | models.Q(unit__isnull=False), name="invitation_has_invitee"
            ),
            models.UniqueConstraint(
                fields=["meeting", "seat"], condition=models.Q(seat__isnull=False), name="seat_invited_once"
            ),
            models.UniqueConstraint(
                fields=["meeting", "unit"], condition=models.Q(seat__isnull=True), name="unit_invited_once"
            ),
        ]

    def __str__(self) -> str:
        return self.seat.person_name if self.seat_id else str(self.unit)

    def clean(self):
        super().clean()
        if not self.seat_id and not self.unit_id:
            raise ValidationError(_("请选择受邀委员或受邀单位。"))


# ---------------------------------------------------------------------------
# News and notices (党建动态, 通知公告) and the record of each run of a periodic job.
# ---------------------------------------------------------------------------


def article_upload_path(instance, filename: str) -> str:

    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"news/{datetime.date.today():%Y/%m}/{uuid.uuid4().hex}.{ext}"


class Article(models.Model):
    """A news item or notice published by a street or community, or by the district (no grid node: 全区, shown in
    every street's and community's listing; only superusers and district admins write those); the body is plain
    text in paragraphs."""

    scope_field = "grid_node"

    class Kind(models.TextChoices):
        NEWS = "news", _("党建动态")
        NOTICE = "notice", _("通知公告")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    kind = models.CharField(_("栏目"), max_length=10, choices=Kind.choices, default=Kind.NEWS)
    title = models.CharField(_("标题"), max_length=120)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    body = models.TextField(_("正文"), help_text=_("纯文本，空行分段。"))
    cover = models.ImageField(_("封面图"), upload_to=article_upload_path, blank=True)
    grid_node = models.ForeignKey(
        "grids.GridNode",
        verbose_name=_("发布范围"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level__lte": 2},
        help_text=_("街道或社区；不选为全区（只有区级管理员可以）。"),
    )
    source = models.CharField(_("来源"), max_length=100, blank=True)
    publish_at = models.DateTimeField(_("发布时间"), default=timezone.now, db_index=True)
    pinned = models.BooleanField(_("置顶"), default=False)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    author = optional_user(_("作者"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("新闻公告")
        verbose_name_plural = _("新闻公告")
        ordering = ["-pinned", "-publish_at", "-id"]
        indexes = [models.Index(fields=["status", "-pinned", "-publish_at"], name="article_listing")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_district(self) -> bool:
        """A district-wide article (全区): no grid node."""
        return self.grid_node_id is None

    @property
    def scope_name(self) -> str:
        """Where it is published: the street's or community's name, 全区 for the district."""
        return self.grid_node.name if self.grid_node_id else str(_("全区"))

    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.replace("\r\n", "\n").split("\n\n") if p.strip()]


class ArticleAttachment(models.Model):
    """A file attached to an article (type and size checked on upload)."""

    scope_field = "article__grid_node"

    article = models.ForeignKey(Article, verbose_name=_("文章"), on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("名称"), max_length=120)
    file = models.FileField(_("文件"), upload_to=article_upload_path)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["article", "id"]

    def __str__(self) -> str:
        return self.name


class JobRun(TaskResult):
    """One run of a periodic job: a row of django_celery_results' TaskResult, written by Celery's result backend
    (alliance.core.job_runs); this proxy gives it its Chinese names and the admin its list."""

    STATUS_LABELS = {
        "STARTED": _("运行中"),
        "PROGRESS": _("运行中"),  # a long job reporting how far it is (its result: {"done": …, "total": …})
        "SUCCESS": _("成功"),
        "FAILURE": _("失败"),
        "RETRY": _("等待重试"),
        "PENDING": _("等待运行"),
        "REVOKED": _("已撤销"),
    }

    class Meta:
        proxy = True
        verbose_name = _("任务运行记录")
        verbose_name_plural = _("任务运行记录")
        ordering = ["-date_created", "-id"]

    @classmethod
    def status_label(cls, status: str, result: str | None = None) -> str:
        label = str(cls.STATUS_LABELS.get(status, status))
        if status == "PROGRESS":
            try:
                meta = json.loads(result or "")
                return _("%(label)s（%(done)s/%(total)s）") % {
                    "label": label,
                    "done": f"{int(meta['done']):,}",
                    "total": f"{int(meta['total']):,}",
                }
            except (ValueError, TypeError, KeyError):
                pass
        return label

    def __str__(self) -> str:
        return f"{self.task_name} · {timezone.localtime(self.date_created):%Y-%m-%d %H:%M}"
