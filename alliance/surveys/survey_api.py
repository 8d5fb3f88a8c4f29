"""API of the questionnaires: /api/v1/surveys/ — the published results and the surveys the caller may answer (staff:
every survey of their subtree but drafts), each with its questions; POST .../<id>/answer/ answers once (the same
action as the page); GET .../<id>/results/ the counts, once published (staff of the subtree: live)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, ValidationError
from rest_framework.response import Response

from alliance.core.inputs import valid_data
from alliance.core.ratelimit import CreateRateThrottle
from alliance.core.scoping import is_staff_in_scope
from alliance.surveys import actions, selectors
from alliance.surveys.actions.answers import NOT_AUDIENCE
from alliance.surveys.models import Question, Survey
from alliance.surveys.survey_serializers import (
    AnswerSubmitSerializer,
    ResponseSerializer,
    ResultsSerializer,
    SurveySerializer,
)


class AnswerRateThrottle(CreateRateThrottle):
    """The rate limit "answer" on the answer action (the kernel's throttle counts ``create`` only)."""

    def allow_request(self, request, view) -> bool:
        if getattr(view, "action", None) != "answer":
            return True
        view.action = "create"  # counted as the kernel's throttle counts a create
        try:
            return super().allow_request(request, view)
        finally:
            view.action = "answer"


def _value(question: Question, item: dict):
    kind = question.kind
    if kind == Question.Kind.SINGLE:
        return item.get("choice")
    if kind == Question.Kind.MULTIPLE:
        return item.get("choices") or []
    if kind == Question.Kind.SCALE:
        return item.get("number")
    if kind == Question.Kind.TEXT:
        return item.get("text") or ""
    return (item.get("lat"), item.get("lng"))


class SurveyViewSet(viewsets.ReadOnlyModelViewSet):
    """问卷：需求征集、满意度测评。"""

    serializer_class = SurveySerializer
    permission_classes = [permissions.AllowAny]
    throttle_classes = [AnswerRateThrottle]
    throttle_scope = "answer"

    def get_queryset(self):
        return (
            selectors.surveys_for(self.request.user)
            .prefetch_related(Prefetch("questions", Question.objects.order_by("position", "pk")))
            .order_by("-starts_at", "-pk")
        )

    @extend_schema(request=AnswerSubmitSerializer, responses={201: ResponseSerializer})
    @action(detail=True, methods=["post"], serializer_class=AnswerSubmitSerializer)
    def answer(self, request, pk=None):
        """Answer the survey once (a second answer is a 409)."""
        if not request.user.is_authenticated:
            raise NotAuthenticated()
        survey = self.get_object()
        data = valid_data(AnswerSubmitSerializer, request)
        questions = {q.pk: q for q in survey.questions.all()}
        answers, unknown = {}, []
        for item in data["answers"]:
            question = questions.get(item["question"])
            if question is None:
                unknown.append(item["question"])
                continue
            answers[question.pk] = _value(question, item)
        if unknown:
            raise ValidationError({"answers": [_("题目%(pk)s不属于这份问卷。") % {"pk": pk} for pk in unknown]})
        if not actions.can_answer(request.user, survey):
            raise PermissionDenied(NOT_AUDIENCE)
        response = actions.answer_survey(by=request.user, survey=survey, answers=answers)
        return Response(ResponseSerializer(response).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=ResultsSerializer)
    @action(detail=True, methods=["get"], serializer_class=ResultsSerializer)
    def results(self, request, pk=None):
        """The counts once published (to staff of the survey's subtree, live)."""
        survey = self.get_object()
        if survey.status != Survey.Status.PUBLISHED and not is_staff_in_scope(request.user, survey.grid_node):
            raise Http404
        return Response(ResultsSerializer(selectors.results(survey)).data)
