"""Party-member points (党员积分): the rules, the awards, monthly rankings, service-hours targets and
the monthly star ratings of units and stations."""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliance.core.model_bases import exactly_one_of, optional_user
from alliance.points import reasons
from members.models import MemberUnit, PartyMember


class PointsKind(models.TextChoices):
    ACTIVITY_CHECKIN = "activity_checkin", _("活动签到")
    VOLUNTEER_HOURS = "volunteer_hours", _("志愿服务时长")
    CLAIM_COMPLETED = "claim_completed", _("认领项目完成")
    CLAIM_EVALUATED = "claim_evaluated", _("认领项目获好评")
    ORDER_DELIVERED = "order_delivered", _("点单服务送达")
    ORDER_RATED = "order_rated", _("点单服务获好评")
    CORRECTION = "correction", _("积分更正")


class PointsRule(models.Model):
    """How many points one verified action of a kind earns (per hour for volunteer hours)."""

    kind = models.CharField(_("积分类型"), max_length=30, choices=PointsKind.choices, unique=True)
    points = models.IntegerField(_("积分"), help_text=_("志愿服务时长为每小时积分。"))
    min_rating = models.PositiveSmallIntegerField(
        _("好评最低分"), default=4, help_text=_("仅对“获好评”类：评分不低于该值才计分。")
    )
    description = models.CharField(_("说明"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("积分规则")
        verbose_name_plural = _("积分规则")
        ordering = ["kind"]

    def __str__(self) -> str:
        return gettext("%(kind)s：%(points)s分") % {"kind": self.get_kind_display(), "points": self.points}


class PointsEntry(models.Model):
    """One award of points to a party member or a unit, from one verified action (or a correction).

    The unique constraints on (member|unit, kind, source) make an award happen once per source
    object, whatever retries or repeated requests do; corrections are new rows, never edits.
    """

    scope_field = "grid_node"

    member = models.ForeignKey(
        PartyMember, verbose_name=_("党员"), null=True, blank=True, on_delete=models.CASCADE, related_name="points"
    )
    unit = models.ForeignKey(
        MemberUnit, verbose_name=_("成员单位"), null=True, blank=True, on_delete=models.CASCADE, related_name="points"
    )
    grid_node = models.ForeignKey(
        "grids.GridNode", verbose_name=_("所在网格"), on_delete=models.PROTECT, related_name="+"
    )
    street = models.ForeignKey("grids.GridNode", verbose_name=_("所属街道"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("积分类型"), max_length=30, choices=PointsKind.choices)
    points = models.IntegerField(_("积分"))
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=6, decimal_places=2, default=0)
    reason = models.CharField(_("事由"), max_length=200)
    source_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name=_("来源类型"), on_delete=models.PROTECT, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(_("来源编号"))
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("更正的记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    occurred_on = models.DateField(_("日期"))
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    created_by = optional_user(_("记录人"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("积分记录")
        verbose_name_plural = _("积分记录")
        ordering = ["-occurred_on", "-id"]
        indexes = [
            # rankings and indexes: a street's entries of a period
            models.Index(fields=["street", "occurred_on"]),
            # The admin's newest-first list: a page of the city's entries read off the index, not sorted whole.
            models.Index(fields=["occurred_on", "id"], name="points_entry_newest"),
            models.Index(fields=["member", "occurred_on"]),
            models.Index(fields=["unit", "occurred_on"]),
        ]
        constraints = [
            exactly_one_of("member", "unit", name="points_entry_member_xor_unit"),
            models.UniqueConstraint(
                fields=["member", "kind", "source_type", "source_id"],
                condition=models.Q(member__isnull=False) & ~models.Q(kind="correction"),
                name="points_once_per_member_kind_source",
            ),
            models.UniqueConstraint(
                fields=["unit", "kind", "source_type", "source_id"],
                condition=models.Q(unit__isnull=False) & ~models.Q(kind="correction"),
                name="points_once_per_unit_kind_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member or self.unit} {self.points:+d} {self.reason_text}"

    @property
    def reason_text(self) -> str:
        """The reason in the reader's language (alliance.points.reasons); titles in it stay as entered."""
        return reasons.shown(self.reason)


class StreetRecord(models.Model):
    """What a street keeps for itself (a ranking, a yearly target): one street, and scoped to it."""

    scope_field = "street"

    street = models.ForeignKey(
        "grids.GridNode",
        verbose_name=_("街道"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": 1},
    )

    class Meta:
        abstract = True


class PointsRanking(StreetRecord):
    """A street's monthly ranking of party members; once published its rows never change."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    year = models.PositiveSmallIntegerField(_("年"))
    month = models.PositiveSmallIntegerField(_("月"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = optional_user(_("发布人"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("月度积分排行")
        verbose_name_plural = _("月度积分排行")
        ordering = ["-year", "-month", "street_id"]
        constraints = [
            models.UniqueConstraint(fields=["street", "year", "month"], name="one_ranking_per_street_month"),
            models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=12), name="ranking_month_1_to_12"),
        ]

    def __str__(self) -> str:
        return gettext("%(street)s %(year)s年%(month)s月积分排行") % {
            "street": self.street,
            "year": self.year,
            "month": self.month,
        }


class PointsRankingRow(models.Model):
    """A frozen row of a published ranking: the name and points as they were when published."""

    scope_field = "ranking__street"

    ranking = models.ForeignKey(PointsRanking, verbose_name=_("排行"), on_delete=models.CASCADE, related_name="rows")
    rank = models.PositiveIntegerField(_("名次"))
    member = models.ForeignKey(
        PartyMember, verbose_name=_("党员"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("姓名"), max_length=50)
    unit_name = models.CharField(_("单位"), max_length=100, blank=True)
    community_name = models.CharField(_("社区"), max_length=100, blank=True)
    points = models.IntegerField(_("积分"))

    class Meta:
        verbose_name = _("排行明细")
        verbose_name_plural = _("排行明细")
        ordering = ["ranking", "rank", "id"]
        constraints = [models.UniqueConstraint(fields=["ranking", "member"], name="one_row_per_member")]

    def __str__(self) -> str:
        return f"{self.rank}. {self.name} {self.points}"


class ServiceHoursTarget(StreetRecord):
    """The yearly volunteer-hours target of dual-reported party members (双报到), set by the street."""

    year = models.PositiveSmallIntegerField(_("年度"))
    hours = models.DecimalField(_("年度服务时长目标（小时）"), max_digits=6, decimal_places=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("服务时长目标")
        verbose_name_plural = _("服务时长目标")
        ordering = ["-year", "street_id"]
        constraints = [
            models.UniqueConstraint(fields=["street", "year"], name="one_hours_target_per_street_year"),
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="hours_target_positive"),
        ]

    def __str__(self) -> str:
        return gettext("%(street)s %(year)s年 %(hours)s小时") % {
            "street": self.street,
            "year": self.year,
            "hours": self.hours,
        }


class StarRating(models.Model):
    """A month's star rating of a unit or a service station, with the parts it was computed from."""

    scope_field = "grid_node"

    unit = models.ForeignKey(
        MemberUnit, verbose_name=_("成员单位"), null=True, blank=True, on_delete=models.CASCADE, related_name="stars"
    )
    station = models.ForeignKey(
        "services.ServiceStation",
        verbose_name=_("党群服务阵地"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="stars",
    )
    grid_node = models.ForeignKey(
        "grids.GridNode", verbose_name=_("所在网格"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年"))
    month = models.PositiveSmallIntegerField(_("月"))
    rating_avg = models.DecimalField(_("平均评分"), max_digits=3, decimal_places=2, null=True, blank=True)
    ratings = models.PositiveIntegerField(_("评价数"), default=0)
    timely_share = models.DecimalField(_("及时接单率"), max_digits=4, decimal_places=3, null=True, blank=True)
    activity_count = models.PositiveIntegerField(_("活跃次数"), default=0)
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=1)
    stars = models.PositiveSmallIntegerField(_("星级"))
    computed_at = models.DateTimeField(_("评定时间"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("月度星级评定")
        verbose_name_plural = _("月度星级评定")
        ordering = ["-year", "-month", "-score"]
        constraints = [
            exactly_one_of("unit", "station", name="star_rating_unit_xor_station"),
            models.UniqueConstraint(
                fields=["unit", "year", "month"], condition=models.Q(unit__isnull=False), name="one_star_per_unit_month"
            ),
            models.UniqueConstraint(
                fields=["station", "year", "month"],
                condition=models.Q(station__isnull=False),
                name="one_star_per_station_month",
            ),
            models.CheckConstraint(condition=models.Q(stars__lte=5), name="monthly_stars_0_to_5"),
        ]

    def __str__(self) -> str:
        return gettext("%(who)s %(year)s年%(month)s月 %(stars)s星") % {
            "who": self.unit or self.station,
            "year": self.year,
            "month": self.month,
            "stars": self.stars,
        }


class WallSnapshot(models.Model):
    """What a station or a service point posts on its wall (公示) for a month, frozen on the 1st of the next:
    a station (站/中心) its units' 堡垒指数, a point (点) its members' month points and 先锋指数. Taken once;
    later corrections of points never change it."""

    scope_field = "grid_node"

    class Board(models.TextChoices):
        FORTRESS = "fortress", _("堡垒指数")
        PIONEER = "pioneer", _("先锋指数与月度积分")

    station = models.ForeignKey(
        "services.ServiceStation",
        verbose_name=_("党群服务阵地"),
        on_delete=models.CASCADE,
        related_name="wall_snapshots",
    )
    grid_node = models.ForeignKey(
        "grids.GridNode", verbose_name=_("所在网格"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年"))
    month = models.PositiveSmallIntegerField(_("月"))
    board = models.CharField(_("公示内容"), max_length=20, choices=Board.choices)
    rule = models.CharField(_("计算规则"), max_length=300, blank=True)
    stars = models.PositiveSmallIntegerField(_("当月星级"), null=True, blank=True)
    taken_at = models.DateTimeField(_("留存时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("月度公示留存")
        verbose_name_plural = _("月度公示留存")
        ordering = ["-year", "-month", "station_id"]
        constraints = [
            models.UniqueConstraint(fields=["station", "year", "month"], name="one_wall_snapshot_per_station_month"),
            models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=12), name="wall_month_1_to_12"),
        ]

    def __str__(self) -> str:
        return gettext("%(station)s %(year)s年%(month)s月公示") % {
            "station": self.station,
            "year": self.year,
            "month": self.month,
        }


class WallSnapshotRow(models.Model):
    """A frozen line of a wall: a party organisation's 堡垒指数, or a member's month points and 先锋指数."""

    scope_field = "snapshot__grid_node"

    snapshot = models.ForeignKey(
        WallSnapshot, verbose_name=_("公示留存"), on_delete=models.CASCADE, related_name="rows"
    )
    rank = models.PositiveIntegerField(_("名次"))
    name = models.CharField(_("名称"), max_length=100)
    index = models.DecimalField(_("指数"), max_digits=6, decimal_places=1)
    points = models.IntegerField(_("当月积分"), null=True, blank=True)
    completed_claims = models.PositiveIntegerField(_("完成认领项目"), null=True, blank=True)

    class Meta:
        verbose_name = _("公示明细")
        verbose_name_plural = _("公示明细")
        ordering = ["snapshot", "rank", "id"]

    def __str__(self) -> str:
        return f"{self.rank}. {self.name} {self.index}"
