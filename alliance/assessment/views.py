"""Public pages of the assessment under /alliance/: published year-end assessments and quarterly micro-grid
stars, each page a fixed number of queries. Drafts are never shown here."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from alliance.assessment import scoring, selectors
from alliance.assessment.models import SubjectKind
from alliance.core.querying import ChoiceField, QueryForm, page_status, read_query


class ResultsQuery(QueryForm):
    kind = ChoiceField(label=_("考核对象"), choices=SubjectKind.choices, initial=SubjectKind.UNIT)


def assessments(request):
    """Published year-end assessments, newest first (2 queries: the count and the page)."""
    page = Paginator(selectors.published_assessments(), 30).get_page(request.GET.get("page"))
    return render(request, "assessment/list.html", {"page": page})


def assessment_detail(request, pk: int):
    """One published assessment's results of one kind, ranked (3 queries: the assessment, the count, the page)."""
    assessment = get_object_or_404(selectors.published_assessments(), pk=pk)
    query = read_query(request, ResultsQuery)
    kind = query.value("kind")
    rows = assessment.results.filter(kind=kind).order_by("rank", "id")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    context = {
        "assessment": assessment,
        "page": page,
        "kind": kind,
        "kinds": SubjectKind.choices,
        "weights": assessment.weights(),
        "rule": scoring.ASSESSMENT_RULE,
    }
    return render(request, "assessment/detail.html", context, status=page_status(request, query))


def grid_star_list(request):
    """Published quarterly star ratings of micro-grids, newest first (2 queries)."""
    page = Paginator(selectors.published_grid_stars(), 30).get_page(request.GET.get("page"))
    return render(request, "assessment/grid_star_list.html", {"page": page})


def grid_stars(request, pk: int):
    """One published quarter's micro-grid stars, ranked (3 queries)."""
    rating = get_object_or_404(selectors.published_grid_stars(), pk=pk)
    page = Paginator(rating.stars.order_by("rank", "id"), 50).get_page(request.GET.get("page"))
    return render(
        request, "assessment/grid_stars.html", {"rating": rating, "page": page, "rule": scoring.GRID_STAR_RULE}
    )
