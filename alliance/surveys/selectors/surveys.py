"""Reads of the questionnaires: who may answer what, the results counted, the polls' scores for the assessment
(alliance.assessment, above this app, calls ``poll_tallies``) and the published results for the feeds."""

import datetime
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.fields import DecimalField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alliance.core.feeds import FeedItem, Topic
from alliance.core.scoping import scope_queryset
from alliance.surveys.models import Answer, Question, Survey
from members.models import PartyMember

S = Survey.Status
VISIBLE = (S.OPEN, S.CLOSED, S.PUBLISHED)


def person_roles(user) -> set[str]:
    """Which audiences the person belongs to: resident, party member, unit operator."""
    if not getattr(user, "is_authenticated", False):
        return set()
    roles = set()
    if user.role == user.Role.RESIDENT:
        roles.add("resident")
    if user.role == user.Role.PARTY_MEMBER or _member(user) is not None:
        roles.add("party_member")
    if user.role == user.Role.UNIT_OPERATOR and user.unit_id:
        roles.add("unit_operator")
    return roles


def _member(user):
    if not hasattr(user, "_survey_member"):
        user._survey_member = PartyMember.objects.filter(user=user).select_related("community").first()
    return user._survey_member


def person_nodes(user) -> list:
    """The grids the person belongs to: the account's, the party member's community, the unit's (two queries,
    kept on the user for the request)."""
    if not getattr(user, "is_authenticated", False):
        return []
    if not hasattr(user, "_survey_nodes"):
        nodes = [user.grid_node] if user.grid_node_id else []
        member = _member(user)
        if member is not None and member.community_id:
            nodes.append(member.community)
        if user.role == user.Role.UNIT_OPERATOR and user.unit_id and user.unit.grid_node_id:
            nodes.append(user.unit.grid_node)
        user._survey_nodes = nodes
    return user._survey_nodes


def _ancestor_ids(nodes) -> set[int]:
    """Each node and the nodes above it (from the materialised path: "3/17/240/")."""
    return {int(part) for node in nodes for part in node.path.split("/") if part}


def answerable(user, now: datetime.datetime | None = None) -> QuerySet[Survey]:
    """The open surveys the person may answer now: in their audience, scoped to a grid above (or at) theirs."""
    roles = person_roles(user)
    if not roles:
        return Survey.objects.none()
    now = now or timezone.now()
    audience = Q()
    for role, field in (
        ("resident", "for_residents"),
        ("party_member", "for_party_members"),
        ("unit_operator", "for_unit_operators"),
    ):
        if role in roles:
            audience |= Q(**{field: True})
    return Survey.objects.filter(
        audience,
        status=S.OPEN,
        starts_at__lte=now,
        ends_at__gt=now,
        grid_node_id__in=_ancestor_ids(person_nodes(user)),
    )


def published() -> QuerySet[Survey]:
    return Survey.objects.filter(status=S.PUBLISHED)


def staff_surveys(user) -> QuerySet[Survey]:
    """Every survey of the staff member's subtree (none for others)."""
    if not getattr(user, "is_authenticated", False) or not (user.is_superuser or user.is_staff_role):
        return Survey.objects.none()
    return scope_queryset(Survey.objects.all(), user)


def surveys_for(user) -> QuerySet[Survey]:
    """What a caller of the API sees: the published results, the surveys they may answer, and for staff every
    survey of their subtree but drafts of others."""
    qs = Survey.objects.filter(status=S.PUBLISHED)
    if getattr(user, "is_authenticated", False):
        qs = qs | answerable(user)
        if user.is_superuser or user.is_staff_role:
            qs = qs | staff_surveys(user)
    return qs.select_related("grid_node").distinct()


def _percent(part: int, whole: int) -> int:
    return round(part * 100 / whole) if whole else 0


def results(survey: Survey) -> dict:
    """Every question's figures: options counted (and their share of those who answered), the scale's average
    and spread, the texts and places (three queries whatever the number of answers)."""
    questions = list(survey.questions.all())
    respondents = survey.responses.count()
    by_question: dict[int, list] = {q.pk: [] for q in questions}
    rows = (
        Answer.objects.filter(response__survey=survey)
        .values_list("question_id", "choice", "choices", "number", "text", "lat", "lng", "pk", "need_id")
        .order_by("pk")
    )
    for row in rows:
        by_question.setdefault(row[0], []).append(row)
    shown = []
    for q in questions:
        got = by_question[q.pk]
        item: dict = {"question": q, "answered": len(got), "percent": _percent(len(got), respondents)}
        if q.kind in Question.CHOICES:
            counts = [0] * len(q.option_list)
            for row in got:
                picked = [row[1]] if q.kind == Question.Kind.SINGLE else (row[2] or [])
                for i in picked:
                    if isinstance(i, int) and 0 <= i < len(counts):
                        counts[i] += 1
            item["options"] = [
                {"label": label, "count": n, "percent": _percent(n, len(got))}
                for label, n in zip(q.option_list, counts, strict=True)
            ]
        elif q.kind == Question.Kind.SCALE:
            numbers = [row[3] for row in got if row[3] is not None]
            item["average"] = (Decimal(sum(numbers)) / len(numbers)).quantize(Decimal("0.01")) if numbers else None
            item["options"] = [
                {
                    "label": _("%(n)d分") % {"n": v},
                    "count": numbers.count(v),
                    "percent": _percent(numbers.count(v), len(numbers)),
                }
                for v in q.scale_range
            ]
            item["top"] = q.scale_max
        elif q.kind == Question.Kind.TEXT:
            item["texts"] = [{"id": row[7], "text": row[4], "need_id": row[8]} for row in got]
        else:
            item["places"] = [{"lat": row[5], "lng": row[6]} for row in got if row[5] is not None]
        shown.append(item)
    return {"survey": survey, "respondents": respondents, "questions": shown}


def poll_tallies(street_path: str, year: int, period) -> dict[str, dict[int, tuple[int, Decimal]]]:
    """Per station and per unit of the street: the satisfaction polls' scale answers of ``year`` as (count, sum)
    on a five-point scale (a 1–10 score counts half). A poll names its year; one that names none counts in the
    year its answers came in (``period``: that year's [start, end)). One query."""
    five = Cast(F("number"), DecimalField(max_digits=8, decimal_places=4)) * 5 / F("question__scale_max")
    rows = (
        Answer.objects.filter(
            question__kind=Question.Kind.SCALE,
            question__survey__kind=Survey.Kind.SATISFACTION,
            question__survey__grid_node__path__startswith=street_path,
            number__isnull=False,
        )
        .filter(
            Q(question__survey__period_year=year)
            | Q(
                question__survey__period_year__isnull=True,
                response__submitted_at__gte=period[0],
                response__submitted_at__lt=period[1],
            )
        )
        .filter(Q(question__survey__station__isnull=False) | Q(question__survey__unit__isnull=False))
        .values("question__survey__station_id", "question__survey__unit_id")
        .annotate(n=Count("id"), total=Sum(five))
        .order_by()
    )
    found: dict[str, dict[int, tuple[int, Decimal]]] = {"station": {}, "unit": {}}
    for row in rows:
        count, total = row["n"], Decimal(row["total"] or 0)
        for kind, subject in (
            ("station", row["question__survey__station_id"]),
            ("unit", row["question__survey__unit_id"]),
        ):
            if subject is not None:
                n, added = found[kind].get(subject, (0, Decimal(0)))
                found[kind][subject] = (n + count, added + total)
    return found


def published_feed(nodes, since, until, limit) -> list[FeedItem]:
    """The surveys whose results were published in the subtrees of ``nodes`` (titles and counts only)."""
    if not nodes:
        return []
    area = Q()
    for node in nodes:
        area |= Q(grid_node__path__startswith=node.path)
    rows = (
        Survey.objects.filter(area, status=S.PUBLISHED, published_at__gte=since, published_at__lt=until)
        .select_related("grid_node")
        .annotate(n=Count("responses"))
        .order_by("-published_at", "-pk")[:limit]
    )
    return [
        FeedItem(
            topic=Topic.RESULTS,
            key=f"survey:{s.pk}:published",
            title=_("%(kind)s结果公布：%(title)s") % {"kind": s.get_kind_display(), "title": s.title},
            summary=ngettext("共%(n)s份答卷。", "共%(n)s份答卷。", s.n) % {"n": s.n},
            url=reverse("surveys:results", args=[s.pk]),
            at=s.published_at,
            area=s.grid_node.name,
        )
        for s in rows
        if s.published_at is not None
    ]
