"""The residents' survey pages under /surveys/: the open surveys they may answer, the form, the thanks, the
published results; and the live results for staff of the survey's subtree."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.core.errors import Conflict
from alliance.core.inputs import add_errors
from alliance.core.ratelimit import ratelimit_view
from alliance.core.scoping import is_staff_in_scope
from alliance.surveys import actions, selectors
from alliance.surveys.models import Survey, SurveyResponse
from alliance.surveys.survey_forms import AnswerForm
from services.map_views import map_config

PUBLISHED_SHOWN = 20  # the newest published results listed under the open surveys


def survey_list(request):
    """The open surveys the person may answer (those answered marked) and the newest published results.
    Queries: the person's party-member record and grids (signed in), the open surveys, the answered ones, the
    published results."""
    open_rows, answered = [], set()
    if request.user.is_authenticated:
        open_rows = list(selectors.answerable(request.user).select_related("grid_node").order_by("ends_at", "pk"))
        answered = set(
            SurveyResponse.objects.filter(respondent=request.user, survey__status=Survey.Status.OPEN).values_list(
                "survey_id", flat=True
            )
        )
    results = list(selectors.published().select_related("grid_node").order_by("-published_at", "-pk")[:PUBLISHED_SHOWN])
    context = {"open_rows": open_rows, "answered": answered, "results": results}
    return render(request, "surveys/list.html", context)


def _visible(pk) -> Survey:
    return get_object_or_404(Survey.objects.select_related("grid_node").exclude(status=Survey.Status.DRAFT), pk=pk)


@login_required
def survey_detail(request, pk):
    """The questionnaire as a form; a person answers once (a second answer is refused, with the reason). Only
    the answers sent count in the rate limit "answer", not the page's views."""
    if request.method == "POST":
        return _answer(request, pk)
    return _survey_page(request, pk)


def _survey_page(request, pk):
    survey = _visible(pk)
    if not actions.can_answer(request.user, survey):
        return render(request, "surveys/not_allowed.html", {"survey": survey}, status=403)
    done = SurveyResponse.objects.filter(survey=survey, respondent=request.user).first()
    questions = list(survey.questions.all())
    form = AnswerForm(request.POST or None, questions=questions)
    status = 200
    now = timezone.now()
    is_open = survey.status == Survey.Status.OPEN and survey.starts_at <= now < survey.ends_at
    if request.method == "POST" and form.is_valid():
        try:
            actions.answer_survey(by=request.user, survey=survey, answers=form.answers())
        except Conflict:
            # Answered already (in another tab, or at the same moment): the page says so instead of the form.
            done = SurveyResponse.objects.filter(survey=survey, respondent=request.user).first()
            status = 409
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            status = 403
        except ValidationError as exc:
            add_errors(form, exc)
            status = 400
        else:
            messages.success(request, _("提交成功，感谢您的参与！"))
            return redirect("surveys:thanks", pk=survey.pk)
    elif request.method == "POST":
        status = 400
    context = {
        "survey": survey,
        "form": form,
        "done": done,
        "is_open": is_open,
        "now": now,
        "map_config": map_config(request, mode="picker", node=survey.grid_node.street_id) if form.place else None,
    }
    return render(request, "surveys/detail.html", context, status=status)


_answer = ratelimit_view("answer")(_survey_page)


@login_required
def thanks(request, pk):
    survey = _visible(pk)
    response = SurveyResponse.objects.filter(survey=survey, respondent=request.user).first()
    if response is None:
        return redirect("surveys:detail", pk=survey.pk)
    return render(request, "surveys/thanks.html", {"survey": survey, "response": response})


def survey_results(request, pk):
    """The published results, for everyone: counts and shares only (texts and places are counted, not shown).
    Queries: the survey, its questions, its answers, its respondents counted."""
    survey = get_object_or_404(selectors.published().select_related("grid_node"), pk=pk)
    return render(request, "surveys/results.html", {"r": selectors.results(survey), "live": False})


@login_required
def survey_live(request, pk):
    """The results as they come in, for the staff of the survey's subtree: texts and places listed too."""
    survey = get_object_or_404(Survey.objects.select_related("grid_node"), pk=pk)
    if not is_staff_in_scope(request.user, survey.grid_node):
        raise Http404
    return render(request, "surveys/results.html", {"r": selectors.results(survey), "live": True})
