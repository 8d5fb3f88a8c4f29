"""The selections' phone pages under /surveys/selections/: the open and published selections of the person's area,
one selection with its candidates and the 投票 button, and the published result (no voter is ever shown)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.core.errors import Conflict
from alliance.core.ratelimit import ratelimit_view
from alliance.surveys import actions
from alliance.surveys import selection_selectors as selectors
from alliance.surveys.models import Candidate, Selection

PER_PAGE = 20


class VoteForm(forms.Form):
    """The candidate voted for, among the selection's own."""

    candidate = forms.ModelChoiceField(
        queryset=Candidate.objects.none(),
        error_messages={"required": _("请选择候选对象。"), "invalid_choice": _("请选择本次评选的候选对象。")},
    )

    def __init__(self, *args, selection: Selection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].queryset = Candidate.objects.filter(selection=selection)


def selection_list(request):
    """Voting and published selections of the person's area (anyone's: all of them), voting first (queries:
    the session's, the count, the page, the person's votes on it)."""
    page = Paginator(selectors.public_selections(request.user), PER_PAGE).get_page(request.GET.get("page"))
    votes = selectors.own_votes(request.user, page.object_list)
    rows = [(s, votes.get(s.pk)) for s in page.object_list]
    return render(request, "surveys/selections.html", {"page": page, "rows": rows, "now": timezone.now()})


def _public(pk: int) -> Selection:
    queryset = Selection.objects.filter(status__in=Selection.PUBLIC).select_related("grid_node")
    return get_object_or_404(queryset.prefetch_related(selectors.candidates_prefetch()), pk=pk)


def selection_detail(request, pk: int):
    """The candidates with their stories and, while the person may vote, a 投票 button on each; once they voted,
    您已投票 and for whom (queries: the session's, the selection, its candidates, the person's vote)."""
    selection = _public(pk)
    vote = selectors.own_vote(request.user, selection)
    refusal = actions.vote_refusal(request.user, selection) if vote is None else ""
    context = {"selection": selection, "vote": vote, "refusal": refusal, "can_vote": vote is None and not refusal}
    return render(request, "surveys/selection.html", context)


@require_POST
@login_required
@ratelimit_view("vote")
def selection_vote(request, pk: int):
    """One vote, by the selection's action; a refusal (a second vote, outside the window or the area) is shown on
    the selection's page."""
    selection = _public(pk)
    form = VoteForm(request.POST, selection=selection)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("surveys:selection", pk=selection.pk)
    try:
        vote = actions.cast_vote(by=request.user, selection=selection, candidate=form.cleaned_data["candidate"])
    except (ValidationError, PermissionDenied, Conflict) as exc:
        text = exc.message if isinstance(exc, Conflict) else _("；").join(getattr(exc, "messages", [str(exc)]))
        messages.error(request, text)
    else:
        messages.success(request, _("投票成功，您投给了“%(name)s”。") % {"name": vote.candidate.name})
    return redirect("surveys:selection", pk=selection.pk)


def selection_results(request, pk: int):
    """The published ranking: votes, share and the winners (queries: the session's, the selection, the counted
    candidates)."""
    selection = get_object_or_404(
        Selection.objects.filter(status=Selection.Status.PUBLISHED).select_related("grid_node"), pk=pk
    )
    standings = selectors.standings(selection)
    total = sum(s.votes for s in standings)
    return render(
        request, "surveys/selection_results.html", {"selection": selection, "standings": standings, "total": total}
    )
