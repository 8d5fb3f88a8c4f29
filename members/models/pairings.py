"""结对共建 as an agreement: a member unit paired with a community or with another unit for a term, under a
signed two-way service agreement (双向服务协议书), with what each side committed to, the services delivered under
it and a review each year.

The pairing's grid node (``grid_node``, its scope) is the community it belongs to: the paired community, or for
two units the first unit's community. It is set by the action that creates the pairing, never typed.
"""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliance.core.model_bases import exactly_one_of, optional_user


class Side(models.TextChoices):
    """Who in an agreement: 甲方 is the unit that signed it, 乙方 the community or the other unit."""

    UNIT = "unit", _("甲方（成员单位）")
    PARTNER = "partner", _("乙方（结对方）")


def agreement_upload_path(instance, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"pairings/agreements/{instance.pk or 'new'}.{ext}"


class Pairing(models.Model):
    """结对共建: a unit and a community (or two units) under a signed agreement for a term."""

    scope_field = "grid_node"
    Side = Side

    class Status(models.TextChoices):
        ACTIVE = "active", _("生效中")
        EXPIRED = "expired", _("已到期")
        TERMINATED = "terminated", _("已终止")

    unit = models.ForeignKey(
        "members.MemberUnit", verbose_name=_("成员单位"), on_delete=models.CASCADE, related_name="pairings"
    )
    community = models.ForeignKey(
        "grids.GridNode",
        verbose_name=_("结对社区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pairings",
        limit_choices_to={"level": 2},
    )
    partner_unit = models.ForeignKey(
        "members.MemberUnit",
        verbose_name=_("结对单位"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="partner_pairings",
    )
    grid_node = models.ForeignKey(
        "grids.GridNode",
        verbose_name=_("所属社区"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        help_text=_("结对社区；两家单位结对时为甲方单位所在社区。"),
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    agreement = models.FileField(
        _("协议书"), upload_to=agreement_upload_path, blank=True, help_text=_("签字盖章的协议书扫描件或照片。")
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    created_by = optional_user(_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True, null=True)
    expired_at = models.DateTimeField(_("到期时间"), null=True, blank=True)
    terminated_at = models.DateTimeField(_("终止时间"), null=True, blank=True)
    terminated_by = optional_user(_("终止人"))
    termination_reason = models.CharField(_("终止原因"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("结对共建")
        verbose_name_plural = _("结对共建")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["status", "ends_on"])]
        constraints = [
            models.UniqueConstraint(fields=["unit", "community", "starts_on"], name="unique_pairing"),
            models.UniqueConstraint(fields=["unit", "partner_unit", "starts_on"], name="unique_unit_pairing"),
            exactly_one_of("community", "partner_unit", name="pairing_one_partner"),
            models.CheckConstraint(condition=~models.Q(partner_unit=models.F("unit")), name="pairing_not_with_itself"),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="pairing_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} ↔ {self.partner_name}"

    def save(self, *args, **kwargs):
        if self.grid_node_id is None:  # rows made outside create_pairing (imports, fixtures): the same rule
            node = self.unit.grid_node
            self.grid_node_id = self.community_id or (node.parent_id if node.level == 3 else node.pk)
        super().save(*args, **kwargs)

    @property
    def partner_name(self) -> str:
        partner = self.community if self.community_id else self.partner_unit
        return str(partner) if partner is not None else ""

    def side_name(self, side: str) -> str:
        return str(self.unit) if side == Side.UNIT else self.partner_name


class PairingCommitment(models.Model):
    """What one side of a pairing committed to (双向服务承诺)."""

    scope_field = "pairing__grid_node"

    pairing = models.ForeignKey(
        Pairing, verbose_name=_("结对共建"), on_delete=models.CASCADE, related_name="commitments"
    )
    side = models.CharField(_("承诺方"), max_length=10, choices=Side.choices)
    text = models.CharField(_("承诺内容"), max_length=300)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("结对承诺")
        verbose_name_plural = _("结对承诺")
        ordering = ["pairing", "side", "id"]

    def __str__(self) -> str:
        return self.text


class PairingService(models.Model):
    """A service delivered under a pairing: when, by which side, what, for how many people and hours."""

    scope_field = "pairing__grid_node"

    pairing = models.ForeignKey(
        Pairing, verbose_name=_("结对共建"), on_delete=models.CASCADE, related_name="deliveries"
    )
    served_on = models.DateField(_("服务日期"))
    side = models.CharField(_("服务方"), max_length=10, choices=Side.choices)
    what = models.CharField(_("服务内容"), max_length=200)
    people_served = models.PositiveIntegerField(_("服务人数"), default=0)
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=6, decimal_places=1, default=0)
    link_text = models.CharField(_("相关链接或说明"), max_length=200, blank=True)
    recorded_by = optional_user(_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("结对服务记录")
        verbose_name_plural = _("结对服务记录")
        ordering = ["-served_on", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(hours__gte=0), name="pairing_service_hours_gte_0")]

    def __str__(self) -> str:
        return f"{self.served_on} {self.what}"


class PairingReview(models.Model):
    """The yearly review of a pairing (年度评议): a summary and a rating from 1 to 5."""

    scope_field = "pairing__grid_node"

    pairing = models.ForeignKey(Pairing, verbose_name=_("结对共建"), on_delete=models.CASCADE, related_name="reviews")
    year = models.PositiveSmallIntegerField(_("年度"))
    summary = models.TextField(_("评议意见"))
    rating = models.PositiveSmallIntegerField(_("评议等级"), help_text=_("1–5 分"))
    reviewed_by = optional_user(_("评议人"))
    reviewed_at = models.DateTimeField(_("评议时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("结对年度评议")
        verbose_name_plural = _("结对年度评议")
        ordering = ["pairing", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["pairing", "year"], name="one_pairing_review_per_year"),
            models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5), name="pairing_review_rating_1_5"),
        ]

    def __str__(self) -> str:
        return gettext("%(year)s年度评议") % {"year": self.year}
