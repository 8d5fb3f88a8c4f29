"""Questionnaires built by staff: created and edited (questions only until the first answer), then
draft → open → closed → published. A survey past its window is closed by the beat job (``close_due_surveys``);
whichever path closes it, a survey that says so (``publish_on_close``) publishes its results at once."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.core.scoping import require_in_scope, sees_all
from alliance.core.transitions import Step
from alliance.surveys.models import Question, Survey

S = Survey.Status
NOT_YOURS = gettext_lazy("只有问卷所在范围的街道、社区管理员才能办理。")
# fmt: off
OPEN = Step(S.OPEN, (S.DRAFT,), lambda s: _("该问卷%(status)s，不能发布。") % {"status": s.get_status_display()},
            conflict={S.OPEN: gettext_lazy("该问卷已经发布。")}, stamp="opened")
CLOSE = Step(S.CLOSED, (S.OPEN,), lambda s: _("该问卷%(status)s，不能结束。") % {"status": s.get_status_display()},
             conflict={S.CLOSED: gettext_lazy("该问卷已经结束。")}, stamp="closed")
PUBLISH = Step(S.PUBLISHED, (S.CLOSED,), lambda s: _("该问卷%(status)s，不能公布结果。") % {"status": s.get_status_display()},
               conflict={S.PUBLISHED: gettext_lazy("该问卷的结果已经公布。")}, stamp="published")
# fmt: on
SURVEY_FIELDS = (
    "title",
    "description",
    "kind",
    "grid_node",
    "starts_at",
    "ends_at",
    "for_residents",
    "for_party_members",
    "for_unit_operators",
    "publish_on_close",
    "station",
    "unit",
    "period_year",
    "period_quarter",
)
QUESTION_FIELDS = ("position", "text", "kind", "required", "options", "scale_min", "scale_max")


def require_admin(by, obj) -> None:
    """Street and community admins (and superusers) whose subtree holds ``obj`` (a survey or a grid node)."""
    if by is None or not by.is_authenticated:
        raise PermissionDenied(_("请先登录。"))
    if sees_all(by):
        return
    if by.role not in by.ADMIN_ROLES:
        raise PermissionDenied(NOT_YOURS)
    require_in_scope(by, obj, NOT_YOURS)


def _check(by, survey: Survey) -> None:
    """The survey's fields checked together (field errors in Chinese)."""
    errors: dict[str, str] = {}
    if not (survey.title or "").strip():
        errors["title"] = _("请填写问卷标题。")
    if survey.starts_at and survey.ends_at and survey.ends_at <= survey.starts_at:
        errors["ends_at"] = _("截止时间必须晚于开始时间。")
    if not (survey.for_residents or survey.for_party_members or survey.for_unit_operators):
        errors["for_residents"] = _("请至少选择一类作答人：居民、党员或成员单位。")
    if survey.kind != Survey.Kind.SATISFACTION and (survey.station_id or survey.unit_id):
        errors["station"] = _("只有满意度测评可以指定测评的服务站点或成员单位。")
    if survey.station_id and survey.unit_id:
        errors["unit"] = _("服务站点和成员单位只能选一个。")
    if survey.period_quarter and not survey.period_year:
        errors["period_year"] = _("填写季度时请同时填写年度。")
    if survey.period_year and not 2000 <= survey.period_year <= 2100:
        errors["period_year"] = _("请填写正确的年度。")
    node = survey.grid_node if survey.grid_node_id else None
    for name, subject in (("station", survey.station), ("unit", survey.unit)):
        street = node.street if node is not None else None
        if subject is not None and street is not None and not subject.grid_node.path.startswith(street.path):
            errors[name] = _("测评对象须在问卷所在的街道内。")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_survey(*, by, grid_node, title: str, starts_at, ends_at, **fields) -> Survey:
    """A draft questionnaire of ``grid_node`` (the staff's own subtree); its questions come next."""
    require_admin(by, grid_node)
    survey = Survey(grid_node=grid_node, title=title.strip(), starts_at=starts_at, ends_at=ends_at, created_by=by)
    for name, value in fields.items():
        if name not in SURVEY_FIELDS:
            raise TypeError(name)
        setattr(survey, name, value)
    _check(by, survey)
    survey.save()
    return survey


@transaction.atomic
def update_survey(*, by, survey: Survey, **fields) -> Survey:
    """Edit a survey not yet closed (its scope, kind and subject only while it is a draft)."""
    require_admin(by, survey)
    locked = Survey.objects.select_for_update().get(pk=survey.pk)
    if locked.status not in (S.DRAFT, S.OPEN):
        raise ValidationError(_("该问卷%(status)s，不能再修改。") % {"status": locked.get_status_display()})
    changed = []
    for name, value in fields.items():
        if name not in SURVEY_FIELDS:
            raise TypeError(name)
        if getattr(survey, name) != value:
            setattr(survey, name, value)
            changed.append(name)
    if locked.status != S.DRAFT and set(changed) & {"kind", "grid_node", "station", "unit"}:
        raise ValidationError(_("问卷发布后不能再修改类型、范围和测评对象。"))
    require_admin(by, survey)  # the new scope too
    _check(by, survey)
    if changed:
        survey.save(update_fields=changed)
    return survey


def _check_question(question: Question) -> None:
    errors: dict[str, str] = {}
    if not (question.text or "").strip():
        errors["text"] = _("请填写题目。")
    options = question.option_list
    if question.kind in Question.CHOICES:
        if len(options) < 2:
            errors["options"] = _("单选、多选题请至少填写两个选项，每行一个。")
        elif len(options) > 20:
            errors["options"] = _("选项最多20个。")
        elif any(len(o) > 100 for o in options):
            errors["options"] = _("每个选项不超过100个字。")
    if question.kind == Question.Kind.SCALE and not (1 <= question.scale_min < question.scale_max <= 10):
        errors["scale_max"] = _("打分范围须在1到10分之间，最高分大于最低分。")
    if question.kind == Question.Kind.PLACE:
        others = Question.objects.filter(survey_id=question.survey_id, kind=Question.Kind.PLACE)
        if others.exclude(pk=question.pk).exists():
            errors["kind"] = _("每份问卷最多一道地图位置题。")
    if errors:
        raise ValidationError(errors)


def _require_editable(by, survey: Survey) -> Survey:
    require_admin(by, survey)
    locked = Survey.objects.select_for_update().get(pk=survey.pk)
    if locked.responses.exists():
        raise ValidationError(_("已经有人作答，题目不能再修改。"))
    if locked.status not in (S.DRAFT, S.OPEN):
        raise ValidationError(_("该问卷%(status)s，题目不能再修改。") % {"status": locked.get_status_display()})
    return locked


@transaction.atomic
def save_question(*, by, question: Question) -> Question:
    """Add or change one question of a survey that nobody has answered yet."""
    _require_editable(by, question.survey)
    question.text = (question.text or "").strip()
    question.options = "\n".join(question.option_list)
    _check_question(question)
    question.save()
    return question


@transaction.atomic
def delete_question(*, by, question: Question) -> None:
    _require_editable(by, question.survey)
    question.delete()


@transaction.atomic
def open_survey(*, by, survey: Survey, now: datetime.datetime | None = None) -> Survey:
    """draft → open: residents in its scope see it from its start time."""
    require_admin(by, survey)
    now = now or timezone.now()
    if not survey.questions.exists():
        raise ValidationError(_("请先添加题目再发布。"))
    if survey.ends_at <= now:
        raise ValidationError({"ends_at": _("截止时间已过，请先修改截止时间。")})
    return OPEN.run(survey, by=by, now=now)


def _close(survey: Survey, *, by, now) -> Survey:
    CLOSE.run(survey, by=by, now=now)
    if survey.publish_on_close:
        PUBLISH.run(survey, by=by, now=now)
    return survey


@transaction.atomic
def close_survey(*, by, survey: Survey, now: datetime.datetime | None = None) -> Survey:
    """open → closed (and published at once when the survey says so)."""
    require_admin(by, survey)
    return _close(survey, by=by, now=now or timezone.now())


@transaction.atomic
def publish_results(*, by, survey: Survey, now: datetime.datetime | None = None) -> Survey:
    """closed → published: the results page opens to everyone (counts only, never who answered)."""
    require_admin(by, survey)
    return PUBLISH.run(survey, by=by, now=now or timezone.now())


def close_due_surveys(*, now: datetime.datetime | None = None) -> int:
    """The beat job: every open survey past its closing time is closed (and published if it says so), one
    transaction each; a rerun finds none left."""
    now = now or timezone.now()
    done = 0
    for pk in Survey.objects.filter(status=S.OPEN, ends_at__lte=now).values_list("pk", flat=True).order_by("pk"):
        with transaction.atomic():
            survey = Survey.objects.get(pk=pk)
            if survey.status == S.OPEN:
                _close(survey, by=None, now=now)
                done += 1
    return done
