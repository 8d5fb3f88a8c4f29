"""Questionnaires: needs surveys (需求征集) and satisfaction polls (满意度测评) for a scope of the grid.

A survey is built by the staff of its grid node (street, community or micro-grid): its questions in order, who may
answer (residents, party members, unit operators) and a time window. draft → open → closed → published; a person in
the audience whose community lies in the survey's subtree answers once (one SurveyResponse per survey and person,
in the database). A satisfaction poll may name a period and a service station or a member unit: its scale answers
count in that station's or unit's year-end assessment (alliance.assessment reads surveys.selectors)."""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliance.core.model_bases import optional_user

TEXT_MAX = 500  # the longest text answer
SCALE_TOP = 10  # the widest scale a question may offer (1–10)
OPTIONS_MAX = 20  # the most options a choice question may offer


class Survey(models.Model):
    scope_field = "grid_node"

    class Kind(models.TextChoices):
        NEEDS = "needs", _("需求征集")
        SATISFACTION = "satisfaction", _("满意度测评")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        OPEN = "open", _("进行中")
        CLOSED = "closed", _("已结束")
        PUBLISHED = "published", _("已公布")

    title = models.CharField(_("标题"), max_length=100)
    description = models.TextField(_("说明"), max_length=2000, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.NEEDS)
    grid_node = models.ForeignKey(
        "grids.GridNode",
        verbose_name=_("征集范围"),
        on_delete=models.PROTECT,
        related_name="surveys",
        help_text=_("街道、社区或微网格：该范围内的居民可以作答。"),
    )
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("截止时间"))
    for_residents = models.BooleanField(_("居民可答"), default=True)
    for_party_members = models.BooleanField(_("党员可答"), default=True)
    for_unit_operators = models.BooleanField(_("成员单位可答"), default=False)
    publish_on_close = models.BooleanField(
        _("截止后自动公布结果"), default=True, help_text=_("到截止时间自动结束时，同时向所有人公布统计结果。")
    )
    station = models.ForeignKey(
        "services.ServiceStation",
        verbose_name=_("测评服务站点"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="polls",
        help_text=_("满意度测评可指定一个服务站点或一个成员单位，打分计入年终考核。"),
    )
    unit = models.ForeignKey(
        "members.MemberUnit",
        verbose_name=_("测评成员单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="polls",
    )
    period_year = models.PositiveSmallIntegerField(_("测评年度"), null=True, blank=True)
    period_quarter = models.PositiveSmallIntegerField(
        _("测评季度"),
        null=True,
        blank=True,
        choices=[(1, _("第1季度")), (2, _("第2季度")), (3, _("第3季度")), (4, _("第4季度"))],
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = optional_user(_("创建人"))
    opened_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    opened_by = optional_user(_("发布人"))
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    closed_by = optional_user(_("结束人"))
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    published_by = optional_user(_("公布人"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("问卷")
        verbose_name_plural = _("问卷（需求征集、满意度测评）")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["status", "ends_at"]), models.Index(fields=["kind", "period_year"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="survey_window"),
            models.CheckConstraint(
                condition=models.Q(station__isnull=True) | models.Q(unit__isnull=True), name="survey_one_subject"
            ),
            models.CheckConstraint(
                condition=models.Q(period_quarter__isnull=True)
                | models.Q(period_quarter__gte=1, period_quarter__lte=4),
                name="survey_quarter",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audience_text(self) -> str:
        names = [
            str(label)
            for on, label in (
                (self.for_residents, _("居民")),
                (self.for_party_members, _("党员")),
                (self.for_unit_operators, _("成员单位")),
            )
            if on
        ]
        return gettext("、").join(names) or "—"

    @property
    def period_text(self) -> str:
        if not self.period_year:
            return ""
        if self.period_quarter:
            return _("%(y)d年第%(q)d季度") % {"y": self.period_year, "q": self.period_quarter}
        return _("%(y)d年") % {"y": self.period_year}


class Question(models.Model):
    scope_field = "survey__grid_node"

    class Kind(models.TextChoices):
        SINGLE = "single", _("单选")
        MULTIPLE = "multiple", _("多选")
        SCALE = "scale", _("打分")
        TEXT = "text", _("文字")
        PLACE = "place", _("地图位置")

    CHOICES = (Kind.SINGLE, Kind.MULTIPLE)

    survey = models.ForeignKey(Survey, verbose_name=_("问卷"), on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("序号"), default=1)
    text = models.CharField(_("题目"), max_length=200)
    kind = models.CharField(_("题型"), max_length=20, choices=Kind.choices, default=Kind.SINGLE)
    required = models.BooleanField(_("必答"), default=True)
    options = models.TextField(_("选项"), max_length=2000, blank=True, help_text=_("单选、多选题填写，每行一个选项。"))
    scale_min = models.PositiveSmallIntegerField(_("最低分"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("最高分"), default=5)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("题目")
        verbose_name_plural = _("题目")
        ordering = ["survey", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scale_min__lt=models.F("scale_max"), scale_max__lte=SCALE_TOP), name="question_scale"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.text}"

    @property
    def option_list(self) -> list[str]:
        return [line.strip() for line in (self.options or "").splitlines() if line.strip()]

    @property
    def scale_range(self) -> range:
        return range(self.scale_min, self.scale_max + 1)


class SurveyResponse(models.Model):
    """One person's answers to one survey (答卷): once per survey and person."""

    scope_field = "survey__grid_node"

    survey = models.ForeignKey(Survey, verbose_name=_("问卷"), on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(
        "members.User", verbose_name=_("作答人"), on_delete=models.CASCADE, related_name="survey_responses"
    )
    area = models.ForeignKey(
        "grids.GridNode",
        verbose_name=_("作答人所在网格"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("答卷")
        verbose_name_plural = _("答卷")
        ordering = ["-submitted_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["survey", "respondent"], name="one_response_per_person")]

    def __str__(self) -> str:
        return _("答卷 %(n)s") % {"n": self.pk}


class Answer(models.Model):
    """The answer to one question: an option (single), options (multiple, a list of indexes), a score, a text or
    a place. ``need`` is the need staff made of it (转为需求)."""

    scope_field = "response__survey__grid_node"

    response = models.ForeignKey(
        SurveyResponse, verbose_name=_("答卷"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(Question, verbose_name=_("题目"), on_delete=models.CASCADE, related_name="answers")
    choice = models.PositiveSmallIntegerField(_("所选选项"), null=True, blank=True)
    choices = models.JSONField(_("所选选项（多选）"), default=list, blank=True)
    number = models.PositiveSmallIntegerField(_("打分"), null=True, blank=True)
    text = models.TextField(_("文字回答"), max_length=TEXT_MAX, blank=True)
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    need = models.ForeignKey(
        "projects.Need",
        verbose_name=_("已转为需求"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_answers",
    )
    converted_at = models.DateTimeField(_("转为需求时间"), null=True, blank=True)
    converted_by = optional_user(_("转为需求人"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("回答")
        verbose_name_plural = _("回答（可转为需求）")
        ordering = ["question__position", "id"]
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")]

    def __str__(self) -> str:
        return self.shown[:40] or "—"

    @property
    def shown(self) -> str:
        """The answer in words (the question's options and kind)."""
        q = self.question
        options = q.option_list
        if q.kind == Question.Kind.SINGLE and self.choice is not None:
            return options[self.choice] if self.choice < len(options) else ""
        if q.kind == Question.Kind.MULTIPLE:
            return gettext("、").join(options[i] for i in self.choices or [] if isinstance(i, int) and i < len(options))
        if q.kind == Question.Kind.SCALE and self.number is not None:
            return _("%(n)d分") % {"n": self.number}
        if q.kind == Question.Kind.PLACE and self.lat is not None:
            return f"{self.lat}, {self.lng}"
        return self.text
