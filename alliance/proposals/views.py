"""The portal's pages of residents' proposals (微建议): the public list, proposing, a proposal's page with its
supports, comments and the matter's result, and one's own proposals."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.core.errors import Conflict
from alliance.core.inputs import submit_form
from alliance.core.querying import page_status, read_query
from alliance.core.ratelimit import ratelimit_view
from alliance.proposals import actions, selectors
from alliance.proposals.forms import CommentForm, ProposalForm, ProposalsQuery
from alliance.proposals.models import Proposal, Support
from grids.models import GridNode
from services.map_views import map_config

PAGE_SIZE = 20


def _rows(page) -> list[dict]:
    """A page's proposals with what their row shows: stage, masked author, progress to the threshold."""
    proposals = list(page)
    communities = {p.community_id: p.community for p in proposals}
    limits = selectors.thresholds(list(communities.values())) if communities else {}
    rows = []
    for p in proposals:
        label, tone = selectors.stage(p)
        threshold = limits.get(p.community_id, 20)
        rows.append(
            {
                "p": p,
                "stage": label,
                "tone": tone,
                "author": selectors.author_label(p),
                "threshold": threshold,
                "percent": min(100, p.support_count * 100 // max(threshold, 1)),
            }
        )
    return rows


def proposals(request):
    """The public list, by community and stage: 5 queries (the communities, the count, the page, the rules)
    after the session's."""
    query = read_query(request, ProposalsQuery)
    qs = Proposal.objects.filter(status__in=selectors.PUBLIC)
    if query.value("community"):
        qs = qs.filter(community=query.value("community"))
    if query.value("stage"):
        qs = qs.filter(status=query.value("stage"))
    page = Paginator(selectors.list_rows(qs), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": _rows(page),
        "query": query,
        "communities": GridNode.objects.filter(level=GridNode.Level.COMMUNITY)
        .select_related("parent")
        .order_by("path"),
    }
    return render(request, "proposals/list.html", context, status=page_status(request, query))


@login_required
def mine(request):
    page = Paginator(selectors.list_rows(Proposal.objects.filter(author=request.user)), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "proposals/mine.html", {"page": page, "rows": _rows(page)})


@login_required
@ratelimit_view("proposal")
def new(request):
    node = request.user.grid_node
    form = ProposalForm(request.POST or None, request.FILES or None, street=node.street_id if node else None)

    def submit(data):
        return actions.submit_proposal(
            by=request.user,
            title=data["title"],
            text=data["text"],
            community=data.get("community"),
            micro_grid=data.get("micro_grid"),
            location=data.get("location", ""),
            lat=data.get("lat"),
            lng=data.get("lng"),
            photos=data.get("photos") or [],
        )

    done = _("已收到您的微建议，社区审核后会公开征集大家的支持。")
    if proposal := submit_form(request, form, submit, done):
        return redirect("proposals:proposal", pk=proposal.pk)
    config = map_config(request, node=node.street_id if node else None, mode="picker")
    return render(request, "proposals/new.html", {"form": form, "map_config": config})


def proposal(request, pk):
    """A proposal's page: 5 queries for anyone (the proposal, its photos, its comments, the rule, the milestones
    when raised), one more for a signed-in person (their support) and for a moderator (the history)."""
    item = get_object_or_404(selectors.detail_rows(selectors.visible_proposals(request.user)), pk=pk)
    user = request.user
    label, tone = selectors.stage(item)
    for c in item.shown_comments:
        c.masked = selectors.masked(c.author)
    threshold = actions.rule_for(item.community).threshold
    context = {
        "p": item,
        "stage": label,
        "tone": tone,
        "author": selectors.author_label(item),
        "threshold": threshold,
        "percent": min(100, item.support_count * 100 // max(threshold, 1)),
        "is_author": user.is_authenticated and user.pk == item.author_id,
        "supported": user.is_authenticated and Support.objects.filter(proposal=item, person=user).exists(),
        "can_support": item.status in actions.SUPPORTABLE
        and not (
            item.supports_close_at
            and item.status == Proposal.Status.PUBLISHED
            and timezone.now() > item.supports_close_at
        ),
        "can_comment": item.status in actions.COMMENTABLE,
        "comment_form": CommentForm(),
        "milestones": selectors.milestones(item),
        "history": selectors.moderation_history(item) if actions.can_moderate(user, item) else None,
    }
    return render(request, "proposals/proposal.html", context)


def _act(request, pk, call, done: str):
    item = get_object_or_404(selectors.visible_proposals(request.user), pk=pk)
    try:
        call(item)
    except (ValidationError, PermissionDenied, Conflict) as exc:
        messages.error(request, _("；").join(getattr(exc, "messages", None) or [str(exc)]))
    else:
        messages.success(request, done)
    return redirect("proposals:proposal", pk=pk)


@login_required
@require_POST
@ratelimit_view("support")
def support(request, pk):
    return _act(request, pk, lambda p: actions.support_proposal(by=request.user, proposal=p), _("感谢您的支持！"))


@login_required
@require_POST
def withdraw(request, pk):
    return _act(request, pk, lambda p: actions.withdraw_support(by=request.user, proposal=p), _("已取消支持。"))


@login_required
@require_POST
@ratelimit_view("comment")
def comment(request, pk):
    form = CommentForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("proposals:proposal", pk=pk)
    text = form.cleaned_data["text"]
    return _act(request, pk, lambda p: actions.add_comment(by=request.user, proposal=p, text=text), _("评论已发表。"))
