"""The year-end assessment (年终考核) and the quarterly star rating of micro-grids (季考核评星定级).

A street's assessment of a year (``Assessment``) is a draft while it is computed and recomputed from what the
platform recorded, with the weights its street admins set for that year (``AssessmentWeights``, copied onto the
assessment when it is computed); once published its rows (``AssessmentResult``) never change. The quarterly
rating (``GridStarRating``) works the same way with one row per micro-grid (``GridStar``).
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliance.core.model_bases import optional_user
from alliance.points.models import StreetRecord

# The five indicators of the year-end assessment: (key, label, default weight).
INDICATORS = (
    ("claims", _("认领项目"), 20),
    ("services", _("服务送达"), 25),
    ("meetings", _("会议出勤"), 15),
    ("issues", _("按时办结"), 20),
    ("satisfaction", _("群众满意度"), 20),
)
WEIGHT_FIELDS = tuple(f"w_{key}" for key, _label, _default in INDICATORS)


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


def _weight(verbose_name, default):
    return models.PositiveSmallIntegerField(verbose_name, default=default, validators=[MaxValueValidator(100)])


class WeightsBase(models.Model):
    """The five weights (in points out of 100)."""

    # Each name whole, for translation (English puts "weight" after the indicator too, but not every language).
    w_claims = _weight(_("认领项目权重"), INDICATORS[0][2])
    w_services = _weight(_("服务送达权重"), INDICATORS[1][2])
    w_meetings = _weight(_("会议出勤权重"), INDICATORS[2][2])
    w_issues = _weight(_("按时办结权重"), INDICATORS[3][2])
    w_satisfaction = _weight(_("群众满意度权重"), INDICATORS[4][2])

    class Meta:
        abstract = True

    def weights(self) -> dict[str, int]:
        return {key: getattr(self, f"w_{key}") for key, _label, _default in INDICATORS}


def weights_sum_100(name: str) -> models.CheckConstraint:
    total = models.F("w_claims") + models.F("w_services") + models.F("w_meetings") + models.F("w_issues")
    return models.CheckConstraint(condition=models.Q(w_satisfaction=100 - total), name=name)


class AssessmentWeights(WeightsBase, StreetRecord):
    """The weights a street's admins set for one year's assessment (they add up to 100)."""

    year = models.PositiveSmallIntegerField(_("年度"))
    set_at = models.DateTimeField(_("设置时间"), null=True, blank=True)
    set_by = optional_user(_("设置人"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("年终考核权重")
        verbose_name_plural = _("年终考核权重")
        ordering = ["-year", "street_id"]
        constraints = [
            models.UniqueConstraint(fields=["street", "year"], name="one_weights_per_street_year"),
            weights_sum_100("assessment_weights_sum_100"),
        ]

    def __str__(self) -> str:
        return gettext("%(street)s %(year)s年考核权重") % {"street": self.street, "year": self.year}

    def clean(self):
        super().clean()
        total = sum(int(v or 0) for v in self.weights().values())
        if total != 100:
            raise ValidationError(_("五项权重之和必须为100，现在是%(total)s。") % {"total": total})


class Assessment(WeightsBase, StreetRecord):
    """A street's year-end assessment: draft (computed, recomputed) → published (frozen, public)."""

    Status = Status

    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    computed_by = optional_user(_("计算人"))
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = optional_user(_("发布人"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("年终考核")
        verbose_name_plural = _("年终考核")
        ordering = ["-year", "street_id"]
        constraints = [
            models.UniqueConstraint(fields=["street", "year"], name="one_assessment_per_street_year"),
            weights_sum_100("assessment_used_weights_sum_100"),
        ]

    def __str__(self) -> str:
        return gettext("%(street)s %(year)s年度年终考核") % {"street": self.street, "year": self.year}


class SubjectKind(models.TextChoices):
    UNIT = "unit", _("成员单位")
    STATION = "station", _("党群服务阵地")
    MICRO_GRID = "micro_grid", _("微网格")
    TEAM = "team", _("联勤队伍")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


def _score(label):
    return models.DecimalField(label, max_digits=4, decimal_places=1, null=True, blank=True, help_text=_("空为不适用"))


def _avg(label):
    return models.DecimalField(label, max_digits=3, decimal_places=2, null=True, blank=True)


class AssessmentResult(models.Model):
    """One assessed unit, station, micro-grid or joint-duty team: each indicator's figures and score, the total."""

    scope_field = "grid_node"

    Kind = SubjectKind
    Grade = Grade

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("年终考核"), on_delete=models.CASCADE, related_name="results"
    )
    kind = models.CharField(_("考核对象类型"), max_length=20, choices=SubjectKind.choices)
    subject_id = models.PositiveBigIntegerField(_("对象编号"))
    name = models.CharField(_("名称"), max_length=200)
    grid_node = models.ForeignKey(
        "grids.GridNode", verbose_name=_("所在网格"), on_delete=models.PROTECT, related_name="+"
    )
    claims_done = models.PositiveIntegerField(_("完成认领数"), default=0)
    claims_rating = _avg(_("认领平均评价"))
    claims_score = _score(_("认领项目得分"))
    orders_delivered = models.PositiveIntegerField(_("送达服务数"), default=0)
    orders_rating = _avg(_("服务平均评分"))
    services_score = _score(_("服务送达得分"))
    meetings_invited = models.PositiveIntegerField(_("应出席会议人次"), default=0)
    meetings_attended = models.PositiveIntegerField(_("实到会议人次"), default=0)
    meetings_score = _score(_("会议出勤得分"))
    issues_reported = models.PositiveIntegerField(_("反映事项数"), default=0)
    issues_in_time = models.PositiveIntegerField(_("按时办结数"), default=0)
    issues_score = _score(_("按时办结得分"))
    satisfaction_avg = _avg(_("平均满意度"))
    satisfaction_count = models.PositiveIntegerField(_("评价数"), default=0)
    satisfaction_score = _score(_("满意度得分"))
    total = models.DecimalField(_("综合得分"), max_digits=4, decimal_places=1)
    rank = models.PositiveIntegerField(_("名次"))
    grade = models.CharField(_("等次"), max_length=20, choices=Grade.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("年终考核结果")
        verbose_name_plural = _("年终考核结果")
        ordering = ["assessment", "kind", "rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "kind", "subject_id"], name="one_result_per_subject")
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.name} {self.total}"


class GridStarRating(StreetRecord):
    """A street's quarterly star rating of its micro-grids: draft (computed) → published (frozen, public)."""

    Status = Status

    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    computed_by = optional_user(_("计算人"))
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = optional_user(_("发布人"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("微网格季度评星")
        verbose_name_plural = _("微网格季度评星")
        ordering = ["-year", "-quarter", "street_id"]
        constraints = [
            models.UniqueConstraint(fields=["street", "year", "quarter"], name="one_star_rating_per_street_quarter"),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="star_quarter_1_to_4"),
        ]

    def __str__(self) -> str:
        return gettext("%(street)s %(year)s年第%(quarter)s季度微网格评星") % {
            "street": self.street,
            "year": self.year,
            "quarter": self.quarter,
        }


class GridStar(models.Model):
    """One micro-grid's stars for the quarter, with the figures they came from."""

    scope_field = "node"

    rating = models.ForeignKey(
        GridStarRating, verbose_name=_("季度评星"), on_delete=models.CASCADE, related_name="stars"
    )
    node = models.ForeignKey("grids.GridNode", verbose_name=_("微网格"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("名称"), max_length=200)
    issues_reported = models.PositiveIntegerField(_("反映事项数"), default=0)
    issues_in_time = models.PositiveIntegerField(_("按时办结数"), default=0)
    rating_avg = _avg(_("平均满意度"))
    ratings = models.PositiveIntegerField(_("评价数"), default=0)
    activities = models.PositiveIntegerField(_("组织活动数"), default=0)
    orders_delivered = models.PositiveIntegerField(_("送达服务数"), default=0)
    score = models.DecimalField(_("得分"), max_digits=4, decimal_places=1)
    stars = models.PositiveSmallIntegerField(_("星级"))
    rank = models.PositiveIntegerField(_("名次"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("微网格星级")
        verbose_name_plural = _("微网格星级")
        ordering = ["rating", "rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["rating", "node"], name="one_star_per_grid_quarter"),
            models.CheckConstraint(condition=models.Q(stars__gte=1, stars__lte=5), name="grid_stars_1_to_5"),
        ]

    def __str__(self) -> str:
        return gettext("%(name)s %(stars)s星") % {"name": self.name, "stars": self.stars}
