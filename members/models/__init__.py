"""Accounts and roles, member units (成员单位) and party members (党员); pairings (结对共建) in ``pairings``."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliance.core.validators import validate_credit_code, validate_mobile, validate_phone
from grids.models import KeepsStreet
from members.models.pairings import (  # re-exported: ``from members.models import Pairing``
    Pairing,  # noqa: F401
    PairingCommitment,  # noqa: F401
    PairingReview,  # noqa: F401
    PairingService,  # noqa: F401
)


class User(AbstractUser):
    """An account. Staff roles are scoped to a grid subtree; a unit operator to one unit."""

    scope_field = "grid_node"

    class Role(models.TextChoices):
        DISTRICT_ADMIN = "district_admin", _("区级管理员")
        STREET_ADMIN = "street_admin", _("街道管理员")
        COMMUNITY_ADMIN = "community_admin", _("社区管理员")
        GRID_WORKER = "grid_worker", _("网格员")
        UNIT_OPERATOR = "unit_operator", _("成员单位联络员")
        PARTY_MEMBER = "party_member", _("党员")
        RESIDENT = "resident", _("居民")

    # A district admin works above the three-level grid: no grid node, every street in sight (``sees_whole_district``).
    ADMIN_ROLES = (Role.DISTRICT_ADMIN, Role.STREET_ADMIN, Role.COMMUNITY_ADMIN)
    STAFF_ROLES = (Role.DISTRICT_ADMIN, Role.STREET_ADMIN, Role.COMMUNITY_ADMIN, Role.GRID_WORKER)
    # The grid level each staff role is scoped to.
    ROLE_LEVELS = {Role.STREET_ADMIN: 1, Role.COMMUNITY_ADMIN: 2}

    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.RESIDENT)
    grid_node = models.ForeignKey(
        "grids.GridNode",
        verbose_name=_("管辖/所在网格"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("工作人员只能查看和办理该网格及其下级的事项；居民为所在社区或微网格。"),
    )
    unit = models.ForeignKey(
        "members.MemberUnit",
        verbose_name=_("所属成员单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="operators",
    )
    phone = models.CharField(_("手机号码"), max_length=20, blank=True, validators=[validate_phone])
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    address = models.CharField(_("住址"), max_length=200, blank=True)

    objects = UserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.UniqueConstraint(fields=["phone"], condition=~models.Q(phone=""), name="unique_user_phone_when_set"),
            models.CheckConstraint(
                condition=~models.Q(role="unit_operator") | models.Q(unit__isnull=False),
                name="unit_operator_has_unit",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    def clean(self):
        super().clean()
        errors = {}
        if self.role == self.Role.UNIT_OPERATOR and not self.unit_id:
            errors["unit"] = _("成员单位联络员必须绑定一个成员单位。")
        if self.role == self.Role.DISTRICT_ADMIN and self.grid_node_id:
            errors["grid_node"] = _("区级管理员管辖全区，不指定网格。")
        elif self.role in self.STAFF_ROLES and self.role != self.Role.DISTRICT_ADMIN and not self.grid_node_id:
            errors["grid_node"] = _("工作人员必须指定管辖网格。")
        level = self.ROLE_LEVELS.get(self.role)
        if level and self.grid_node_id and self.grid_node.level != level:
            errors["grid_node"] = _("%(role)s的管辖网格必须是%(level)s。") % {
                "role": self.get_role_display(),
                "level": gettext("街道") if level == 1 else gettext("社区"),
            }
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # Only street and community admins (and superusers) work in the Django admin.
        self.is_staff = self.is_superuser or self.role in self.ADMIN_ROLES
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "is_staff"}
        super().save(*args, **kwargs)

    @property
    def name(self) -> str:
        return self.display_name or self.username

    @property
    def is_admin_role(self) -> bool:
        return self.is_superuser or self.role in self.ADMIN_ROLES

    @property
    def sees_whole_district(self) -> bool:
        """A superuser or a district admin: every street of the deployment, no subtree filter."""
        return self.is_superuser or self.role == self.Role.DISTRICT_ADMIN

    @property
    def is_staff_role(self) -> bool:
        return self.is_superuser or self.role in self.STAFF_ROLES


class MemberUnit(KeepsStreet):
    """A unit stationed in the area (驻区单位) that has joined the alliance."""

    scope_field = "grid_node"

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("机关单位")
        INSTITUTION = "institution", _("事业单位")
        STATE_FIRM = "state_firm", _("国有企业")
        PRIVATE_FIRM = "private_firm", _("非公企业")
        SOCIAL_ORG = "social_org", _("社会组织")
        SCHOOL = "school", _("学校")
        HOSPITAL = "hospital", _("医院")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        ACTIVE = "active", _("正常")
        SUSPENDED = "suspended", _("暂停")
        WITHDRAWN = "withdrawn", _("已退出")

    name = models.CharField(_("单位名称"), max_length=100, unique=True)
    kind = models.CharField(_("单位类型"), max_length=20, choices=Kind.choices)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code])
    address = models.CharField(_("地址"), max_length=200, blank=True)
    grid_node = models.ForeignKey(
        "grids.GridNode", verbose_name=_("所在网格"), on_delete=models.PROTECT, related_name="units"
    )
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=20, validators=[validate_phone])
    joined_on = models.DateField(_("加入日期"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    star_rating = models.PositiveSmallIntegerField(_("星级"), default=0, help_text=_("0–5 星"))
    introduction = models.TextField(_("单位简介"), blank=True)
    logo = models.ImageField(_("单位标识"), upload_to="units/logos/", blank=True)

    history = HistoricalRecords(excluded_fields=["street"])  # the street follows the grid node (KeepsStreet)

    class Meta:
        verbose_name = _("成员单位")
        verbose_name_plural = _("成员单位")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["grid_node", "status"]),
            models.Index(fields=["kind"]),
            # A street's units (of one kind): a city's hundred thousand by their street column (KeepsStreet).
            models.Index(fields=["street", "kind"], name="unit_street_kind"),
        ]
        constraints = [models.CheckConstraint(condition=models.Q(star_rating__lte=5), name="unit_star_rating_0_to_5")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.credit_code = (self.credit_code or "").strip().upper()
        super().save(*args, **kwargs)


class PartyOrganization(models.Model):
    scope_field = "unit__grid_node"

    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("党委")
        GENERAL_BRANCH = "general_branch", _("党总支")
        BRANCH = "branch", _("党支部")
        JOINT_BRANCH = "joint_branch", _("联合党支部")

    unit = models.OneToOneField(
        MemberUnit, verbose_name=_("所属单位"), on_delete=models.CASCADE, related_name="party_organization"
    )
    name = models.CharField(_("党组织名称"), max_length=100)
    kind = models.CharField(_("组织类型"), max_length=20, choices=Kind.choices)
    secretary = models.CharField(_("书记"), max_length=50)
    member_count = models.PositiveIntegerField(_("党员人数"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")

    def __str__(self) -> str:
        return self.name


class EnterpriseAlliance(models.Model):
    """企业家联盟 of a street."""

    scope_field = "street"

    name = models.CharField(_("名称"), max_length=100)
    street = models.ForeignKey(
        "grids.GridNode",
        verbose_name=_("所属街道"),
        on_delete=models.PROTECT,
        related_name="enterprise_alliances",
        limit_choices_to={"level": 1},
    )
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    members = models.ManyToManyField(
        MemberUnit, through="EnterpriseAllianceMembership", verbose_name=_("成员企业"), related_name="alliances"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("企业家联盟")
        verbose_name_plural = _("企业家联盟")

    def __str__(self) -> str:
        return self.name


class EnterpriseAllianceMembership(models.Model):
    scope_field = "alliance__street"
    alliance = models.ForeignKey(EnterpriseAlliance, verbose_name=_("联盟"), on_delete=models.CASCADE)
    unit = models.ForeignKey(MemberUnit, verbose_name=_("企业"), on_delete=models.CASCADE)
    joined_on = models.DateField(_("加入日期"))
    position = models.CharField(_("联盟职务"), max_length=50, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("联盟成员")
        verbose_name_plural = _("联盟成员")
        constraints = [models.UniqueConstraint(fields=["alliance", "unit"], name="unique_alliance_membership")]

    def __str__(self) -> str:
        return f"{self.alliance} · {self.unit}"


class Skill(models.Model):
    """A skill or specialty tag (特长) of party members."""

    name = models.CharField(_("特长"), max_length=30, unique=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("特长标签")
        verbose_name_plural = _("特长标签")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PartyMember(models.Model):
    """A party member: relation kept at a unit, active in a community (双报到). No ID numbers stored."""

    scope_field = "community"

    class Availability(models.TextChoices):
        WEEKDAYS = "weekdays", _("工作日")
        WEEKENDS = "weekends", _("周末")
        EVENINGS = "evenings", _("晚间")
        ANYTIME = "anytime", _("随时")
        UNAVAILABLE = "unavailable", _("暂不可参加")

    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("手机号码"), max_length=20, validators=[validate_mobile])
    user = models.OneToOneField(
        User, verbose_name=_("账号"), null=True, blank=True, on_delete=models.SET_NULL, related_name="party_member"
    )
    unit = models.ForeignKey(
        MemberUnit,
        verbose_name=_("组织关系所在单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="party_members",
    )
    community = models.ForeignKey(
        "grids.GridNode",
        verbose_name=_("报到社区/网格"),
        on_delete=models.PROTECT,
        related_name="party_members",
        help_text=_("双报到：到居住地社区报到，参加社区活动。"),
    )
    reported_on = models.DateField(_("报到日期"), null=True, blank=True)
    skills = models.ManyToManyField(Skill, verbose_name=_("特长"), blank=True, related_name="members")
    availability = models.CharField(
        _("志愿服务时间"), max_length=20, choices=Availability.choices, default=Availability.WEEKENDS
    )
    joined_party_on = models.DateField(_("入党日期"), null=True, blank=True)
    is_active = models.BooleanField(_("在册"), default=True)

    history = HistoricalRecords(m2m_fields=[skills])

    class Meta:
        verbose_name = _("党员")
        verbose_name_plural = _("党员")
        ordering = ["name", "id"]
        # The admin's list in its own order: a city's 100,000 party members are paged, not sorted, for each page.
        indexes = [models.Index(fields=["community", "is_active"]), models.Index(fields=["name", "id"])]
        constraints = [models.UniqueConstraint(fields=["phone"], name="unique_party_member_phone")]

    def __str__(self) -> str:
        return self.name


class Instructor(models.Model):
    """党建指导员: a party member sent to guide a weak organisation, by 选/派/兼."""

    scope_field = "unit__grid_node"

    class Method(models.TextChoices):
        SELECTED = "selected", _("选")
        DISPATCHED = "dispatched", _("派")
        CONCURRENT = "concurrent", _("兼")

    member = models.ForeignKey(
        PartyMember, verbose_name=_("指导员"), on_delete=models.CASCADE, related_name="instructor_posts"
    )
    unit = models.ForeignKey(
        MemberUnit, verbose_name=_("指导单位"), on_delete=models.CASCADE, related_name="instructors"
    )
    method = models.CharField(_("选派方式"), max_length=20, choices=Method.choices)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("党建指导员")
        verbose_name_plural = _("党建指导员")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="instructor_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.unit}"


class PhoneCode(models.Model):
    """A one-time code sent by SMS (registration, password reset): kept only as a keyed hash,
    valid for ``SMS_CODE_TTL_MINUTES`` and ``SMS_CODE_MAX_ATTEMPTS`` tries (members.codes).

    A row is written for every request of a code, whether or not a message went out, so the
    limits per number and per address behave alike for registered and unregistered numbers.
    """

    class Purpose(models.TextChoices):
        REGISTER = "register", _("注册")
        RESET = "reset", _("找回密码")

    phone = models.CharField(_("手机号码"), max_length=20)
    purpose = models.CharField(_("用途"), max_length=20, choices=Purpose.choices)
    code_hash = models.CharField(_("验证码摘要"), max_length=64)
    client_address = models.CharField(_("请求地址"), max_length=45, blank=True)
    created_at = models.DateTimeField(_("发送时间"))
    expires_at = models.DateTimeField(_("失效时间"))
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["code_hash"])

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        indexes = [
            models.Index(fields=["phone", "created_at"], name="phonecode_phone_created"),
            models.Index(fields=["client_address", "created_at"], name="phonecode_address_created"),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.phone}"
