"""Workspace of residents' services: units take orders, grid workers move issues, staff check people in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from alliance.core.querying import ChoiceField, QueryForm, page_status, read_query
from alliance.core.scoping import scope_queryset, sees_all
from members.models import User
from services import actions, selectors
from services.deadlines import Clock
from services.forms import (
    DeclineForm,
    IssueForm,
    MatterTitleForm,
    MenuItemForm,
    MoveIssueForm,
    ReasonForm,
    TakeDownForm,
)
from services.map_views import map_config
from services.models import Activity, Issue, IssuePhoto, MenuItem, Order, ReplyTemplate
from services.views import PAGE_SIZE, run_action


def _is_unit(user) -> bool:
    return user.role == User.Role.UNIT_OPERATOR and bool(user.unit_id)


def _is_staff(user) -> bool:
    return sees_all(user) or (user.role in User.STAFF_ROLES and user.grid_node_id is not None)


class OrdersQuery(QueryForm):
    status = ChoiceField(label=gettext_lazy("状态"), choices=Order.Status.choices, initial=Order.Status.SERVED)


class IssuesQuery(QueryForm):
    status = ChoiceField(
        label=gettext_lazy("环节"), choices=[("open", gettext_lazy("未办结")), *Issue.Status.choices], initial="open"
    )


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def orders(request):
    """A unit: orders offered to it, and those it serves. Staff: the orders of their subtree.

    Each order shows its time limit, overdue first (services.deadlines: the limits and the holiday calendar, 2).
    Queries: the unit (1), its offer (1), limits (2), count + page of incoming, page of serving; staff: limits (2),
    count + page.
    """
    user = request.user
    if _is_unit(user):
        offer = selectors.unit_offer(user.unit)
        clock = Clock.read()
        incoming = clock.orders(
            selectors.orders_offered_to(user.unit, offer).select_related(*selectors.ORDER_RELATED)
        ).order_by("-overdue", "submitted_at", "pk")
        serving = clock.orders(
            selectors.order_base().filter(unit_id=user.unit_id).exclude(status=Order.Status.RATED)
        ).order_by("-overdue", "-accepted_at", "-pk")
        page = _page(request, incoming)
        page.object_list = clock.mark_orders(page.object_list)
        return render(
            request,
            "services/ws_orders_unit.html",
            {"incoming": page, "serving": clock.mark_orders(serving[:PAGE_SIZE])},
        )
    if not _is_staff(user):
        raise PermissionDenied(_("只有成员单位联络员和网格工作人员可以使用此页面。"))
    # The default list is what waits for the community: orders served, to confirm (社区送达).
    query = read_query(request, OrdersQuery)
    status = query.value("status")
    clock = Clock.read()
    qs = clock.orders(scope_queryset(selectors.orders_for(user), user).filter(status=status))
    page = _page(request, qs.order_by("-overdue", "-submitted_at", "-pk"))
    page.object_list = clock.mark_orders(page.object_list)
    return render(
        request,
        "services/ws_orders_staff.html",
        {
            "page": page,
            "status": status,
            "statuses": Order.Status.choices,
        },
        status=page_status(request, query),
    )


def _form_ok(request, form) -> bool:
    """A short form of a button (a reason, a title): its errors become messages on the page."""
    if form.is_valid():
        return True
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}:{error}" if label else error)
    return False


def _run_step(request, form_class, action, done: str, **kwargs) -> None:
    """A button, bare or with a short form (a reason, a title): the action, with the form's fields once valid."""
    if form_class is None:
        run_action(request, action, done, **kwargs)
        return
    form = form_class(request.POST)
    if _form_ok(request, form):
        run_action(request, action, done, **kwargs, **form.cleaned_data)


def _order_for(request, pk):
    return get_object_or_404(selectors.orders_for(request.user), pk=pk)


def _order_step(action, done: str, form=None, query: str = ""):
    """A button of the orders page: the action on one order of the user's, then back to the list (``query``)."""

    @login_required
    @require_POST
    def step(request, pk):
        _run_step(request, form, action, done, order=_order_for(request, pk))
        return redirect(f"{reverse('services_ws:orders')}{query}")

    return step


order_accept = _order_step(actions.accept_order, gettext_lazy("已接单，请按约定提供服务。"))
order_decline = _order_step(actions.decline_order, gettext_lazy("已婉拒，该点单将推送给其他单位。"), form=DeclineForm)
# The serving unit marks the order served; the community is asked to confirm.
order_serve = _order_step(actions.serve_order, gettext_lazy("已标记为已服务，待社区确认送达。"))
# A grid worker or community staff confirm delivery (社区送达), then see the orders still to confirm.
order_confirm_delivery = _order_step(
    actions.confirm_delivery, gettext_lazy("已确认送达。"), query=f"?status={Order.Status.SERVED}"
)


# --- issues ------------------------------------------------------------------------------------


@login_required
def issues(request):
    """The issues of the worker's grid subtree, by step, overdue first (limits 2, count + page)."""
    user = request.user
    if not _is_staff(user):
        raise PermissionDenied(_("只有网格工作人员可以办理居民说事。"))
    query = read_query(request, IssuesQuery)
    status = query.value("status")
    qs = scope_queryset(selectors.issues_for(user), user)
    if status == "open":
        qs = qs.exclude(status=Issue.Status.EVALUATED)
    elif status in Issue.Status.values:
        qs = qs.filter(status=status)
    clock = Clock.read()
    page = _page(request, clock.issues(qs).order_by("-overdue", "step_started_at", "pk"))
    page.object_list = clock.mark_issues(page.object_list)
    return render(
        request,
        "services/ws_issues.html",
        {
            "page": page,
            "status": status,
            "statuses": Issue.Status.choices,
            "assessment": selectors.handler_assessment(user),
        },
        status=page_status(request, query),
    )


def _issue_for(request, pk):
    if not _is_staff(request.user):
        raise PermissionDenied(_("只有网格工作人员可以办理居民说事。"))
    return get_object_or_404(scope_queryset(selectors.issues_for(request.user), request.user), pk=pk)


@login_required
def issue_detail(request, pk):
    issue = _issue_for(request, pk)
    photos = IssuePhoto.objects.filter(issue=issue)
    next_step = issue.next_status
    templates = ReplyTemplate.objects.filter(step=next_step) if next_step else ReplyTemplate.objects.none()
    return render(
        request,
        "services/ws_issue.html",
        {
            "issue": issue,
            "photos": photos,
            "events": selectors.issue_timeline(issue),
            "contact": selectors.contact_of(request.user, issue),
            "templates": templates,
            "form": MoveIssueForm(step=next_step),
            # Staff raise big issues to their street's joint committee (alliance.committee.actions.raise_matter decides).
            "can_raise_matter": request.user.is_staff_role,
            "can_escalate": issue.level < Issue.Level.DEPARTMENT
            and issue.status in (Issue.Status.DISCOVERED, Issue.Status.CONSULTING, Issue.Status.HANDLING),
            "map_config": _issue_map(request, issue),
        },
    )


def _issue_map(request, issue):
    """The place the resident picked, over the boundaries of its grid (no map when none was picked)."""
    if issue.lat is None or issue.lng is None:
        return None
    point = {"lat": float(issue.lat), "lng": float(issue.lng), "name": issue.title}
    node = issue.grid_node.parent_id if issue.grid_node.level == issue.grid_node.Level.MICRO else issue.grid_node_id
    return map_config(request, mode="station", station=point, radius=0, node=node)


@login_required
@require_POST
def issue_move(request, pk):
    issue = _issue_for(request, pk)
    form = MoveIssueForm(request.POST, step=issue.next_status)
    if _form_ok(request, form):
        text = form.cleaned_data["text"]
        if not text and form.cleaned_data["template"]:
            text = form.cleaned_data["template"].text
        run_action(request, actions.move_issue, _("已推进到下一环节。"), issue=issue, text=text)
    return redirect("services_ws:issue", pk=pk)


def _issue_step(action, done: str, form):
    """A button of an issue's page with its short form: the action on the issue, then back to its page."""

    @login_required
    @require_POST
    def step(request, pk):
        _run_step(request, form, action, done, issue=_issue_for(request, pk))
        return redirect("services_ws:issue", pk=pk)

    return step


issue_escalate = _issue_step(actions.escalate_issue, gettext_lazy("已上报上一级。"), form=ReasonForm)
issue_matter = _issue_step(actions.raise_issue_as_matter, gettext_lazy("已提交街道大工委研究。"), form=MatterTitleForm)
issue_take_down = _issue_step(actions.take_down_issue, gettext_lazy("已撤下说事墙。"), form=TakeDownForm)


@login_required
def issue_record(request):
    """A grid worker records an issue from the hotline, the mailbox or a visit."""
    if not _is_staff(request.user):
        raise PermissionDenied(_("只有网格工作人员可以登记事项。"))
    form = IssueForm(request.POST or None, request.FILES or None, staff=True)
    form.fields["grid_node"].queryset = scope_queryset(form.fields["grid_node"].queryset, request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        issue = run_action(
            request,
            actions.report_issue,
            _("事项已登记。"),
            title=data["title"],
            text=data["text"],
            grid_node=data.get("grid_node"),
            channel=data["channel"],
            location=data.get("location", ""),
            contact_phone=data.get("contact_phone", ""),
            photos=data.get("photos") or [],
        )
        if issue:
            return redirect("services_ws:issue", pk=issue.pk)
    return render(request, "services/ws_issue_record.html", {"form": form})


# --- activity check-in -------------------------------------------------------------------------


@login_required
def activity_checkin(request, pk):
    """The sign-up sheet of an activity, for staff in scope or the organising unit to check people in."""
    user = request.user
    activity = get_object_or_404(
        Activity.objects.select_related("grid_node").prefetch_related(
            Prefetch("signups", selectors.activity_signups_qs())
        ),
        pk=pk,
    )
    if not actions.can_check_in(user, activity):
        raise PermissionDenied(_("只有活动所在网格的工作人员或主办单位可以签到。"))
    if request.method == "POST":
        signup = next((s for s in activity.signups.all() if str(s.pk) == request.POST.get("signup")), None)
        if signup is None:
            messages.error(request, _("报名记录不存在。"))
        else:
            signup.activity = activity
            run_action(request, actions.check_in, _("%(name)s 已签到。") % {"name": signup.user.name}, signup=signup)
        return redirect("services_ws:activity_checkin", pk=pk)
    return render(request, "services/ws_checkin.html", {"activity": activity})


# --- the unit's own menu -----------------------------------------------------------------------


def _require_unit(user):
    if not _is_unit(user):
        raise PermissionDenied(_("只有成员单位联络员可以管理本单位的服务菜单。"))


@login_required
def menu(request):
    """The unit's own service items (count + page)."""
    _require_unit(request.user)
    items = (
        MenuItem.objects.filter(provider_unit_id=request.user.unit_id)
        .select_related("category", "category__parent", "grid_scope")
        .order_by("-is_active", "category__sort_order", "pk")
    )
    return render(request, "services/ws_menu.html", {"page": _page(request, items)})


@login_required
def menu_edit(request, pk=None):
    _require_unit(request.user)
    item = None
    if pk is not None:
        item = get_object_or_404(MenuItem, pk=pk, provider_unit_id=request.user.unit_id)
    # A new item is the unit's from the start, so the model's own checks (one provider) hold.
    instance = item or MenuItem(provider_unit=request.user.unit)
    form = MenuItemForm(request.POST or None, instance=instance, unit=request.user.unit)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        saved = run_action(request, actions.save_menu_item, _("服务已保存。"), item=item, **fields)
        if saved:
            return redirect("services_ws:menu")
    return render(request, "services/ws_menu_edit.html", {"form": form, "item": item})
