"""Workspace pages of the two-way lists (双向清单), the unit's side: the needs a unit posts and its pledges to
crowdfunding projects, under /workspace/lists/ (unit operators). Reads here, writes through ``projects.actions``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from alliance.core.inputs import submit_form
from members.models import MemberUnit
from projects import actions
from projects.forms import UnitNeedForm, UnitPledgeForm
from projects.models import Need, Pledge

PAGE_SIZE = 20


def _operator(request):
    user = request.user
    if not (user.role == "unit_operator" and user.unit_id):
        raise PermissionDenied(_("只有成员单位联络员可以使用此页面。"))
    return user


def _unit(user) -> MemberUnit:
    return MemberUnit.objects.select_related("grid_node").get(pk=user.unit_id)


@login_required
def ws_needs(request):
    """The unit's needs in every state, with the staff's note of a returned or declined one.

    Queries: session, user, the count, the page (category, grid node joined)."""
    user = _operator(request)
    rows = (
        Need.objects.filter(posted_by_unit_id=user.unit_id)
        .select_related("category", "grid_node")
        .order_by("-created_at", "-id")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "projects/ws_needs.html", {"page": page, "unreviewed": Need.UNREVIEWED_STATUSES})


@login_required
def ws_need_new(request):
    user = _operator(request)
    unit = _unit(user)
    form = UnitNeedForm(request.POST or None, unit=unit)
    done = _("需求已提交，社区审核通过后将在需求清单公开。")
    if submit_form(request, form, lambda data: actions.submit_unit_need(by=user, **data), done):
        return redirect("projects_ws:needs")
    return render(request, "projects/ws_need_form.html", {"form": form, "need": None})


@login_required
def ws_need_edit(request, pk: int):
    """A returned need, edited and submitted again (the staff's reason shown above the form)."""
    user = _operator(request)
    need = get_object_or_404(Need.objects.select_related("grid_node"), pk=pk, posted_by_unit_id=user.unit_id)
    if need.status != Need.Status.RETURNED:
        messages.error(request, _("只有被退回的需求可以修改后重新提交。"))
        return redirect("projects_ws:needs")
    form = UnitNeedForm(request.POST or None, instance=Need.objects.get(pk=need.pk), unit=_unit(user))
    done = _("需求已修改并重新提交审核。")
    if submit_form(request, form, lambda data: actions.resubmit_unit_need(by=user, need=need, **data), done):
        return redirect("projects_ws:needs")
    return render(request, "projects/ws_need_form.html", {"form": form, "need": need})


@login_required
def ws_pledges(request):
    """The unit's pledges (newest first) and the form to pledge to a crowdfunding project; a pledge made leads to
    the project's page, with its new total.

    Queries: session, user, the count, the page (project joined), the form's projects."""
    user = _operator(request)
    form = UnitPledgeForm(request.POST or None)

    def pledge(data):
        return actions.add_pledge(
            by=user, project=data["project"], amount=data["amount"], kind=data["kind"], goods=data["goods"]
        )

    if made := submit_form(request, form, pledge, _("认捐已登记，感谢您的爱心！")):
        return redirect("projects:project", pk=made.project_id)
    rows = Pledge.objects.filter(unit_id=user.unit_id).select_related("project").order_by("-pledged_at", "-id")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "projects/ws_pledges.html", {"page": page, "form": form})
