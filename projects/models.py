"""The three lists (三清单): resources, needs and projects, with claims, pledges, wishes and matches."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliance.core.history import IndexedOnly
from alliance.core.model_bases import exactly_one_of, optional_rating, optional_user
from alliance.core.privacy import mask_name
from alliance.core.singleton import SingletonModel
from projects.scoring import reasons_display

# A person's progress report opens with the hours served (projects.actions.claims.HOURS_LINE).
HOURS_LINE = re.compile(r"^服务 ([\d.]+) 小时。")


class Category(models.Model):
    """A two-level taxonomy shared by the three lists and the service menu."""

    name = models.CharField(_("名称"), max_length=50)
    code = models.SlugField(_("编码"), max_length=40, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级类别"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        limit_choices_to={"parent__isnull": True},
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("类别")
        verbose_name_plural = _("类别")
        ordering = ["sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="unique_category_name_per_parent")]

    def __str__(self) -> str:
        return f"{self.parent.name} · {self.name}" if self.parent_id else self.name

    def clean(self):
        if self.parent_id and self.parent.parent_id:
            raise ValidationError({"parent": _("类别只有两级：上级类别必须是一级类别。")})
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("类别不能以自己为上级。")})

    @property
    def root_id(self) -> int:
        return self.parent_id or self.pk


class Urgency(models.TextChoices):
    LOW = "low", _("一般")
    NORMAL = "normal", _("较急")
    HIGH = "high", _("紧急")
    URGENT = "urgent", _("特急")


class Resource(models.Model):
    """资源清单: what a member unit offers to communities."""

    scope_field = "grid_node"

    class Status(models.TextChoices):
        AVAILABLE = "available", _("可提供")
        RESERVED = "reserved", _("已预留")
        RETIRED = "retired", _("已下架")

    title = models.CharField(_("资源名称"), max_length=120)
    category = models.ForeignKey(Category, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="resources")
    description = models.TextField(_("资源说明"), blank=True)
    unit = models.ForeignKey(
        "members.MemberUnit", verbose_name=_("提供单位"), on_delete=models.CASCADE, related_name="resources"
    )
    grid_node = models.ForeignKey(
        "grids.GridNode",
        verbose_name=_("服务范围"),
        on_delete=models.PROTECT,
        related_name="resources",
        help_text=_("资源愿意服务的网格（街道、社区或微网格）。"),
    )
    quantity = models.PositiveIntegerField(_("数量/容量"), default=1)
    availability = models.CharField(_("可提供时间"), max_length=120, blank=True, help_text=_("如：每周六上午"))
    available_until = models.DateField(_("有效期至"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.AVAILABLE)
    created_by = optional_user(_("发布人"))
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)
    retired_at = models.DateTimeField(_("下架时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("资源")
        verbose_name_plural = _("资源清单")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "category"]), models.Index(fields=["unit", "status"])]
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gte=1), name="resource_quantity_gte_1")]

    def __str__(self) -> str:
        return self.title


class Need(models.Model):
    """需求清单 (and 问题清单 when ``kind`` is problem): what a community, a grid or residents need."""

    scope_field = "grid_node"

    class Kind(models.TextChoices):
        NEED = "need", _("需求")
        PROBLEM = "problem", _("问题")

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        RETURNED = "returned", _("已退回")
        DECLINED = "declined", _("未采纳")
        OPEN = "open", _("待对接")
        MATCHED = "matched", _("已匹配")
        IN_PROJECT = "in_project", _("已立项")
        FULFILLED = "fulfilled", _("已解决")
        CLOSED = "closed", _("已关闭")

    OPEN_STATUSES = (Status.OPEN, Status.MATCHED)
    # A unit's need before staff approve it (待审核, 已退回, 未采纳): its own unit and staff in scope see it,
    # no public list, API list, matching or statistics does.
    UNREVIEWED_STATUSES = (Status.PENDING, Status.RETURNED, Status.DECLINED)

    kind = models.CharField(_("清单类型"), max_length=20, choices=Kind.choices, default=Kind.NEED)
    title = models.CharField(_("需求名称"), max_length=120)
    category = models.ForeignKey(Category, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="needs")
    description = models.TextField(_("需求说明"), blank=True)
    grid_node = models.ForeignKey(
        "grids.GridNode", verbose_name=_("所在网格"), on_delete=models.PROTECT, related_name="needs"
    )
    people_affected = models.PositiveIntegerField(_("涉及人数"), default=0)
    urgency = models.CharField(_("紧急程度"), max_length=20, choices=Urgency.choices, default=Urgency.LOW)
    wanted_by = models.DateField(_("期望解决日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.OPEN)
    posted_by_unit = models.ForeignKey(
        "members.MemberUnit",
        verbose_name=_("提出单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posted_needs",
        help_text=_("成员单位在工作台提出的需求，经社区或街道审核后公开。"),
    )
    created_by = optional_user(_("发布人"))
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("提交审核时间"), null=True, blank=True)
    reviewed_by = optional_user(_("审核人"))
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=200, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("需求")
        verbose_name_plural = _("需求清单")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "category"]),
            models.Index(fields=["kind", "status"]),
            models.Index(fields=["posted_by_unit", "status"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_reviewed(self) -> bool:
        return self.status not in self.UNREVIEWED_STATUSES


class Project(models.Model):
    """项目清单: a piece of work units can claim, optionally crowdfunded (公益众筹)."""

    scope_field = "grid_node"
    workflow_fields = ("active_individual_claims",)  # kept by the claim actions only

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("认领中")
        IN_PROGRESS = "in_progress", _("实施中")
        COMPLETED = "completed", _("已完成")
        EVALUATED = "evaluated", _("已评价")
        CANCELLED = "cancelled", _("已取消")

    title = models.CharField(_("项目名称"), max_length=120)
    category = models.ForeignKey(Category, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="projects")
    description = models.TextField(_("项目内容"), blank=True)
    grid_node = models.ForeignKey(
        "grids.GridNode", verbose_name=_("所属网格"), on_delete=models.PROTECT, related_name="projects"
    )
    needs = models.ManyToManyField(Need, verbose_name=_("来源需求"), blank=True, related_name="projects")
    matter = models.ForeignKey(
        "alliance.Matter",
        verbose_name=_("来源议题"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    capacity = models.PositiveIntegerField(_("认领名额"), default=1, help_text=_("最多可由几家单位认领"))
    # Claims holding a place (every claim not rejected); kept in the same transaction as the claim,
    # under the project's row lock, and bounded by the check constraint below.
    active_claims = models.PositiveIntegerField(_("已占名额"), default=0, db_default=0, editable=False)
    # Individuals (party members, residents who volunteer) have places of their own: a unit takes on the
    # work, people lend hands to it, and one must not crowd out the other.
    allows_individuals = models.BooleanField(
        _("个人可认领"), default=False, db_default=False, help_text=_("党员和志愿者可以个人名义认领")
    )
    individual_capacity = models.PositiveIntegerField(
        _("个人名额"), default=0, db_default=0, help_text=_("最多可由几位个人认领；个人可认领时至少 1 位")
    )
    active_individual_claims = models.PositiveIntegerField(_("个人已占名额"), default=0, db_default=0, editable=False)
    deadline = models.DateField(_("认领截止日期"), null=True, blank=True)
    budget = models.DecimalField(_("预算（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    crowdfunding_target = models.DecimalField(
        _("众筹目标（元）"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("填写则为公益众筹项目"),
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_by = optional_user(_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    completed_by = optional_user(_("确认完成人"))

    history = HistoricalRecords(m2m_fields=[needs])

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目清单")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["category", "status"]),
            # The lists' newest-first order: a page read off the index, not a sort of every project.
            models.Index(fields=["created_at", "id"], name="project_newest"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="project_capacity_gte_1"),
            models.CheckConstraint(
                condition=models.Q(active_claims__lte=models.F("capacity")), name="project_claims_within_capacity"
            ),
            models.CheckConstraint(
                condition=models.Q(active_individual_claims__lte=models.F("individual_capacity")),
                name="project_individual_claims_within_capacity",
            ),
            models.CheckConstraint(
                condition=models.Q(allows_individuals=False) | models.Q(individual_capacity__gte=1),
                name="project_individuals_have_places",
                violation_error_message=_("个人可认领的项目至少要有 1 个个人名额。"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_crowdfunding(self) -> bool:
        return self.crowdfunding_target is not None

    @property
    def free_places(self) -> int:
        return max(self.capacity - self.active_claims, 0)

    @property
    def free_individual_places(self) -> int:
        if not self.allows_individuals:
            return 0
        return max(self.individual_capacity - self.active_individual_claims, 0)


class Claim(models.Model):
    """认领: a unit, or a person (a party member, a resident who volunteers), claims a published project."""

    scope_field = "project__grid_node"
    workflow_fields = ("hours",)  # the sum of the person's reports, kept by report_progress

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已通过")
        REJECTED = "rejected", _("未通过")
        IN_PROGRESS = "in_progress", _("实施中")
        COMPLETED = "completed", _("已完成")
        EVALUATED = "evaluated", _("已评价")

    # project, unit and person are found by the unique and composite indexes that begin with them (Meta): one
    # index less to write per claim for each.
    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="claims", db_index=False
    )
    unit = models.ForeignKey(
        "members.MemberUnit",
        verbose_name=_("认领单位"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="claims",
        db_index=False,
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("认领个人"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="project_claims",
        db_index=False,
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    note = models.TextField(_("认领说明"), blank=True)
    # A person's hours on the work, the sum of their progress reports; on completion they become points.
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=6, decimal_places=2, default=0, db_default=0)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("认领人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_at = models.DateTimeField(_("认领时间"), auto_now_add=True)
    decided_by = optional_user(_("审核人"))
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_note = models.CharField(_("审核意见"), max_length=200, blank=True)
    started_at = models.DateTimeField(_("开始实施时间"), null=True, blank=True)
    last_progress_at = models.DateTimeField(_("最近进展时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("社区评分"), null=True, blank=True, help_text=_("1–5 分"))
    evaluation = models.TextField(_("社区评价"), blank=True)
    evaluated_by = optional_user(_("评价人"))
    evaluated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)

    history = HistoricalRecords(no_db_index=IndexedOnly())

    class Meta:
        verbose_name = _("认领")
        verbose_name_plural = _("项目认领")
        ordering = ["-claimed_at", "-id"]
        indexes = [
            models.Index(fields=["status", "last_progress_at"]),
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["person", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["project", "unit"], name="one_claim_per_unit_per_project"),
            exactly_one_of("unit", "person", name="claim_unit_xor_person"),
            # A person whose claim was turned down may claim again; one claim that holds a place at a time.
            models.UniqueConstraint(
                fields=["project", "person"],
                condition=models.Q(person__isnull=False) & ~models.Q(status="rejected"),
                name="one_active_claim_per_person_per_project",
                violation_error_message=_("您已认领过该项目。"),
            ),
            models.CheckConstraint(condition=models.Q(hours__gte=0), name="claim_hours_not_negative"),
            optional_rating(name="claim_rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.unit or self.person} · {self.project}"

    @property
    def is_individual(self) -> bool:
        return self.person_id is not None

    @property
    def claimant(self):
        """Who claimed: the unit, or the person."""
        return self.unit if self.unit_id else self.person

    @property
    def public_name(self) -> str:
        """The name shown on public pages: the unit's, or the person's family name only (张**)."""
        return self.unit.name if self.unit_id else mask_name(self.person.name)


def progress_photo_path(instance, filename: str) -> str:
    return f"projects/progress/{instance.report.claim_id}/{filename}"


class ProgressReport(models.Model):
    """A claim's progress report: what was done, with photos."""

    scope_field = "claim__project__grid_node"

    claim = models.ForeignKey(Claim, verbose_name=_("认领"), on_delete=models.CASCADE, related_name="reports")
    text = models.TextField(_("进展情况"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("填报人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("填报时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:30]

    @property
    def shown_text(self) -> str:
        """The report as written, its opening hours line (stored in Chinese) in the reader's language."""
        found = HOURS_LINE.match(self.text)
        if found is None:
            return self.text
        return gettext("服务 %(hours)s 小时。") % {"hours": found.group(1)} + self.text[found.end() :]


class ProgressPhoto(models.Model):
    scope_field = "report__claim__project__grid_node"

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("进展报告"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("照片"), upload_to=progress_photo_path)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("进展照片")
        verbose_name_plural = _("进展照片")

    def __str__(self) -> str:
        return self.image.name


class Pledge(models.Model):
    """A unit's or a person's pledge of money or goods to a crowdfunding project."""

    scope_field = "project__grid_node"

    class Kind(models.TextChoices):
        MONEY = "money", _("资金")
        GOODS = "goods", _("物资")

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="pledges")
    unit = models.ForeignKey(
        "members.MemberUnit",
        verbose_name=_("捐助单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pledges",
    )
    donor_name = models.CharField(_("捐助人"), max_length=100, blank=True, help_text=_("个人捐助时填写"))
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.MONEY)
    amount = models.DecimalField(_("金额/折合金额（元）"), max_digits=12, decimal_places=2)
    goods = models.CharField(_("物资说明"), max_length=200, blank=True)
    created_by = optional_user(_("登记人"))
    pledged_at = models.DateTimeField(_("认捐时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("认捐")
        verbose_name_plural = _("众筹认捐")
        ordering = ["-pledged_at", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="pledge_amount_positive")]

    def __str__(self) -> str:
        return f"{self.donor} · {self.amount}"

    @property
    def donor(self) -> str:
        return self.unit.name if self.unit_id else (self.donor_name or gettext("爱心人士"))


class Expenditure(models.Model):
    """A line of a crowdfunding project's public account: how pledged money and goods were used."""

    scope_field = "project__grid_node"

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="expenditures")
    item = models.CharField(_("支出事项"), max_length=200)
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    spent_on = models.DateField(_("支出日期"))
    created_by = optional_user(_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("支出")
        verbose_name_plural = _("众筹支出公示")
        ordering = ["spent_on", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="expenditure_amount_positive")]

    def __str__(self) -> str:
        return f"{self.item} · {self.amount}"


class Wish(models.Model):
    """微心愿: a resident's small wish, claimed by one party member or one unit. Counts as a need."""

    scope_field = "grid_node"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待审核")
        PUBLISHED = "published", _("待认领")
        REJECTED = "rejected", _("未通过")
        CLAIMED = "claimed", _("已认领")
        FULFILLED = "fulfilled", _("已实现")
        THANKED = "thanked", _("已致谢")

    title = models.CharField(_("心愿"), max_length=100)
    description = models.TextField(_("心愿说明"), blank=True)
    grid_node = models.ForeignKey(
        "grids.GridNode", verbose_name=_("所在网格"), on_delete=models.PROTECT, related_name="wishes"
    )
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("许愿居民"), on_delete=models.CASCADE, related_name="wishes"
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    reviewed_by = optional_user(_("审核人"))
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=200, blank=True)
    claimant_member = models.ForeignKey(
        "members.PartyMember",
        verbose_name=_("认领党员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="wishes",
    )
    claimant_unit = models.ForeignKey(
        "members.MemberUnit",
        verbose_name=_("认领单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="wishes",
    )
    claimed_by = optional_user(_("认领账号"))
    claimed_at = models.DateTimeField(_("认领时间"), null=True, blank=True)
    fulfilled_at = models.DateTimeField(_("实现时间"), null=True, blank=True)
    thanks = models.CharField(_("感谢留言"), max_length=200, blank=True)
    thanked_at = models.DateTimeField(_("致谢时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("微心愿")
        verbose_name_plural = _("微心愿")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "grid_node"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(claimant_member__isnull=True) | models.Q(claimant_unit__isnull=True),
                name="wish_one_claimant",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def claimant_name(self) -> str:
        if self.claimant_unit_id:
            return self.claimant_unit.name
        if self.claimant_member_id:
            return self.claimant_member.name
        return ""


class Match(models.Model):
    """A suggestion of the matching job: need ↔ resource, need ↔ unit or need ↔ party member."""

    scope_field = "need__grid_node"

    class Kind(models.TextChoices):
        RESOURCE = "resource", _("需求—资源")
        UNIT = "unit", _("需求—单位")
        MEMBER = "member", _("需求—党员")

    class Status(models.TextChoices):
        SUGGESTED = "suggested", _("建议")
        ACCEPTED = "accepted", _("已采纳")
        DISMISSED = "dismissed", _("已忽略")

    need = models.ForeignKey(Need, verbose_name=_("需求"), on_delete=models.CASCADE, related_name="matches")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    # The id of the resource, unit or member; with ``need`` and ``kind`` it names the pair, once.
    target_id = models.PositiveBigIntegerField(_("对象编号"))
    resource = models.ForeignKey(
        Resource, verbose_name=_("资源"), null=True, blank=True, on_delete=models.CASCADE, related_name="matches"
    )
    unit = models.ForeignKey(
        "members.MemberUnit",
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="matches",
    )
    member = models.ForeignKey(
        "members.PartyMember",
        verbose_name=_("党员"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="matches",
    )
    score = models.FloatField(_("匹配度"))
    reasons = models.CharField(_("匹配理由"), max_length=200)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.SUGGESTED)
    project = models.ForeignKey(
        Project, verbose_name=_("生成项目"), null=True, blank=True, on_delete=models.SET_NULL, related_name="matches"
    )
    decided_by = optional_user(_("处理人"))
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("建议时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("匹配建议")
        verbose_name_plural = _("匹配建议")
        ordering = ["need", "-score", "id"]
        indexes = [models.Index(fields=["status", "kind"])]
        constraints = [
            models.UniqueConstraint(fields=["need", "kind", "target_id"], name="one_match_per_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.need} ↔ {self.target}"

    @property
    def target(self):
        return self.resource or self.unit or self.member

    @property
    def reasons_text(self) -> str:
        """The stored reasons in the reader's language."""
        return reasons_display(self.reasons)


class ListSettings(SingletonModel):
    """Tunable limits of the projects app (one row, edited in the admin)."""

    no_progress_days = models.PositiveIntegerField(_("认领无进展提醒天数"), default=14)
    deadline_days = models.PositiveIntegerField(_("项目截止前提醒天数"), default=7)
    match_top_k = models.PositiveIntegerField(_("每个需求保留的资源匹配建议数"), default=3)

    history = HistoricalRecords()

    class Meta(SingletonModel.Meta):
        verbose_name = _("三清单设置")
        verbose_name_plural = _("三清单设置")

    @classmethod
    def get(cls) -> "ListSettings":
        return cls.load()
