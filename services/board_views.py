"""The public issue board (说事墙) under /services/board/: public issues by community and on the map, a public
issue's page with its steps, “同样遇到”, and the reporter's button that makes their own issue public.

Nothing here shows who reported an issue or how to reach them (services.selectors_board reads only the public
fields). Views stay thin: query strings through QueryForms, writes through services.actions.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from alliance.core.querying import ChoiceField, QueryForm, page_status, read_query
from alliance.core.ratelimit import ratelimit_view
from grids.models import GridNode
from grids.querying import GridNodeChoiceField
from services import actions, maps, selectors, selectors_board
from services.map_views import map_config
from services.phases import ISSUE_PHASES, tab_choices
from services.views import run_action

PAGE_SIZE = 20


class BoardQuery(QueryForm):
    community = GridNodeChoiceField(
        label=gettext_lazy("社区"),
        required=False,
        queryset=GridNode.objects.filter(level=GridNode.Level.COMMUNITY).only("id", "path", "name", "level"),
    )
    micro_grid = GridNodeChoiceField(
        label=gettext_lazy("微网格"),
        required=False,
        queryset=GridNode.objects.filter(level=GridNode.Level.MICRO).only("id", "path", "name", "level", "parent_id"),
    )
    stage = ChoiceField(label=gettext_lazy("状态"), choices=tab_choices(ISSUE_PHASES))


def _rows(page, now):
    for issue in page:
        issue.took = selectors_board.took(issue, now)
        issue.community = selectors_board.community_name(issue)
    return page


def board(request):
    """Public issues, newest first, by community or micro-grid and stage. Queries: the filter's nodes (0–2),
    the communities of the filter (1), count + page (2)."""
    query = read_query(request, BoardQuery)
    community, micro, stage = query.value("community"), query.value("micro_grid"), query.value("stage") or ""
    rows = selectors_board.board(community=community, micro_grid=micro, stage=stage)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": _rows(page, timezone.now()),
        "query": query,
        "community": community,
        "micro_grid": micro,
        "stage": stage,
        "stages": tab_choices(ISSUE_PHASES),
        "communities": GridNode.objects.filter(level=GridNode.Level.COMMUNITY).order_by("path").only("name")[:200],
    }
    return render(request, "services/board.html", context, status=page_status(request, query))


def board_issue(request, pk):
    """A public issue: its text, place, stage and steps with their dates, “同样遇到” and its count.
    Queries: the issue (1), its steps (1), whether the viewer said “同样遇到” (signed in: 1)."""
    issue = get_object_or_404(selectors_board.public_issues(), pk=pk)
    context = {
        "issue": issue,
        "took": selectors_board.took(issue),
        "community": selectors_board.community_name(issue),
        "events": selectors_board.public_timeline(issue),
        "can_me_too": actions.can_me_too(request.user, issue),
        "mine": request.user.is_authenticated and request.user.pk == issue.reporter_id,
        "said": selectors_board.has_me_too(request.user, issue),
    }
    return render(request, "services/board_issue.html", context)


@login_required
@require_POST
@ratelimit_view("support")
def board_me_too(request, pk):
    """同样遇到: the signed-in resident adds themselves to a public issue still being handled (once)."""
    issue = get_object_or_404(selectors_board.public_issues(), pk=pk)
    run_action(request, actions.me_too, _("已记下：您也遇到了这个问题。有处理结果时会通知您。"), issue=issue)
    return redirect("services:board_issue", pk=pk)


def board_map(request):
    """The board on the map: grid boundaries and the public issues, coloured by stage (static/services/map.js)."""
    node = maps.default_node(request.user)
    config = map_config(request, layers=["grids", "public_issues"], node=node.pk if node else None, mode="overview")
    return render(request, "services/board_map.html", {"config": config})


@login_required
@require_POST
def issue_publish(request, pk):
    """The reporter puts their own issue on the board (说事墙) from its page."""
    issue = get_object_or_404(selectors.issues_for(request.user), pk=pk)
    done = _("已公开到说事墙：只显示问题、位置和办理进度，不显示您的姓名和电话。")
    run_action(request, actions.publish_issue, done, issue=issue)
    return redirect("services:issue", pk=pk)
