"""A person answers a survey once; staff turn text answers into needs on the need list (转为需求).

Who may answer: a signed-in person of the survey's audience (residents, party members, unit operators) whose own
grid (the account's grid, the party member's community, the unit's grid) lies in the survey's subtree, while the
survey is open and inside its window. One answer per person holds in the database (``one_response_per_person``):
of two attempts at once, the second meets the constraint and is told so, in Chinese (409)."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.core.errors import Conflict
from alliance.surveys.actions.surveys import require_admin
from alliance.surveys.models import Answer, Question, Survey, SurveyResponse
from alliance.surveys.models.surveys import TEXT_MAX
from alliance.surveys.selectors import person_nodes, person_roles
from projects import actions as project_actions

ALREADY = gettext_lazy("您已经提交过这份问卷，每人只能答一次。感谢参与！")
NOT_AUDIENCE = gettext_lazy("这份问卷不面向您，或您所在的社区不在征集范围内。")
TITLE_MAX = 120


def can_answer(user, survey: Survey) -> bool:
    """The person is in the survey's audience and lives (or works) in its subtree."""
    if user is None or not user.is_authenticated:
        return False
    roles = person_roles(user)
    wanted = {
        "resident": survey.for_residents,
        "party_member": survey.for_party_members,
        "unit_operator": survey.for_unit_operators,
    }
    if not any(wanted[r] for r in roles):
        return False
    return any(n.path.startswith(survey.grid_node.path) for n in person_nodes(user))


def _area(user, survey: Survey):
    return next((n for n in person_nodes(user) if n.path.startswith(survey.grid_node.path)), None)


def _int(value, field: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: _("请选择有效的选项。")}) from None


def _coordinate(value, low: int, high: int, field: str) -> Decimal:
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("地图上的位置不正确，请重新点选。")}) from None
    if not low <= number <= high:
        raise ValidationError({field: _("地图上的位置不正确，请重新点选。")})
    return number


def _answer(question: Question, value) -> Answer | None:
    """One question's answer, bounded by the question (its options, its scale, the text's length); None if
    left blank (an error if the question must be answered)."""
    field = f"q{question.pk}"
    # Option 0 is an answer: only nothing, an empty text or a list of nothing is blank.
    blank = value is None or value == "" or (isinstance(value, (list, tuple)) and all(v in (None, "") for v in value))
    if blank:
        if question.required:
            raise ValidationError({field: _("这道题必须回答。")})
        return None
    kind, answer = question.kind, Answer(question=question)
    count = len(question.option_list)
    if kind == Question.Kind.SINGLE:
        answer.choice = _int(value, field)
        if not 0 <= answer.choice < count:
            raise ValidationError({field: _("请选择有效的选项。")})
    elif kind == Question.Kind.MULTIPLE:
        values = value if isinstance(value, (list, tuple)) else [value]
        chosen = sorted({_int(v, field) for v in values})
        if not chosen or chosen[0] < 0 or chosen[-1] >= count:
            raise ValidationError({field: _("请选择有效的选项。")})
        answer.choices = chosen
    elif kind == Question.Kind.SCALE:
        answer.number = _int(value, field)
        if not question.scale_min <= answer.number <= question.scale_max:
            raise ValidationError(
                {field: _("请在%(min)s到%(max)s分之间打分。") % {"min": question.scale_min, "max": question.scale_max}}
            )
    elif kind == Question.Kind.TEXT:
        text = str(value).strip()
        if len(text) > TEXT_MAX:
            raise ValidationError({field: _("回答不超过%(n)s个字。") % {"n": TEXT_MAX}})
        if not text:
            return _answer(question, None)
        answer.text = text
    else:  # a place: (lat, lng)
        try:
            lat, lng = value
        except (TypeError, ValueError):
            raise ValidationError({field: _("地图上的位置不正确，请重新点选。")}) from None
        if lat in (None, "") or lng in (None, ""):
            return _answer(question, None)
        answer.lat = _coordinate(lat, -90, 90, field)
        answer.lng = _coordinate(lng, -180, 180, field)
    return answer


def answer_survey(*, by, survey: Survey, answers: dict, now: datetime.datetime | None = None) -> SurveyResponse:
    """Submit one person's answers (``answers``: question id → value); once per person and survey."""
    if by is None or not by.is_authenticated:
        raise PermissionDenied(_("请先登录。"))
    now = now or timezone.now()
    if not can_answer(by, survey):
        raise PermissionDenied(NOT_AUDIENCE)
    if survey.status != Survey.Status.OPEN or not survey.starts_at <= now < survey.ends_at:
        if survey.status == Survey.Status.OPEN and now < survey.starts_at:
            raise ValidationError(_("这份问卷还没有开始。"))
        raise ValidationError(_("这份问卷已经结束，感谢关注。"))
    if SurveyResponse.objects.filter(survey=survey, respondent=by).exists():
        raise Conflict(ALREADY)
    questions = list(survey.questions.all())
    built, errors = [], {}
    for question in questions:
        try:
            answer = _answer(question, answers.get(question.pk))
        except ValidationError as exc:
            errors.update(exc.message_dict)
            continue
        if answer is not None:
            built.append(answer)
    if errors:
        raise ValidationError(errors)
    if not built:
        raise ValidationError(_("请至少回答一道题。"))
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                survey=survey, respondent=by, area=_area(by, survey), submitted_at=now
            )
            for answer in built:
                answer.response = response
                answer.save()
    except IntegrityError:
        # Another attempt of the same person got there first (one_response_per_person).
        raise Conflict(ALREADY) from None
    return response


@transaction.atomic
def answers_to_needs(*, by, answers, category, now: datetime.datetime | None = None) -> list:
    """转为需求: each text answer becomes a need on the need list (published as staff publish needs, through
    projects' ``create_need``) in the respondent's grid inside the survey's scope; the need's description says
    which survey and question it came from, and the answer keeps the link. Answers already turned are skipped."""
    now = now or timezone.now()
    made = []
    rows = (
        Answer.objects.select_for_update(of=("self",))
        .filter(pk__in=[a.pk for a in answers])
        .select_related("question__survey__grid_node", "response__area")
        .order_by("pk")
    )
    for answer in rows:
        survey = answer.question.survey
        require_admin(by, survey)
        if answer.need_id:
            continue
        if not answer.text:
            raise ValidationError(_("只有文字回答可以转为需求。"))
        area = answer.response.area
        node = area if area is not None and area.path.startswith(survey.grid_node.path) else survey.grid_node
        text = " ".join(answer.text.split())
        title = text if len(text) <= 30 else f"{text[:29]}…"
        need = project_actions.create_need(
            by=by,
            title=title[:TITLE_MAX],
            category=category,
            grid_node=node,
            description=_("来自问卷“%(survey)s”第%(n)s题“%(question)s”的居民回答：\n%(answer)s")
            % {
                "survey": survey.title,
                "n": answer.question.position,
                "question": answer.question.text,
                "answer": answer.text,
            },
        )
        answer.need, answer.converted_at, answer.converted_by = need, now, by
        answer.save(update_fields=["need", "converted_at", "converted_by"])
        made.append(need)
    return made


def answer_to_need(*, by, answer: Answer, category, now: datetime.datetime | None = None):
    """One answer into a need (the admin's button and bulk action); an answer already turned stays as it is."""
    made = answers_to_needs(by=by, answers=[answer], category=category, now=now)
    answer.refresh_from_db(fields=["need", "converted_at", "converted_by"])
    return made[0] if made else answer.need
