"""Workspace pages of a unit's two-way lists (双向清单) in services: its activities at its own venues and its
recurring station services (常态化下沉服务). Every write goes through services.actions."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.core.inputs import submit_form
from members.models import User
from services import actions, selectors
from services.models import Activity, RecurringService, Room
from services.unit_forms import CancelForm, RecurringServiceForm, UnitActivityForm
from services.views import PAGE_SIZE, run_action


def _require_unit(user) -> None:
    if user.role != User.Role.UNIT_OPERATOR or not user.unit_id:
        raise PermissionDenied(_("只有成员单位联络员可以管理本单位的活动和常态化服务。"))


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def unit_activities(request):
    """The unit's own activities, those ahead first (count + page, each with its sign-up count)."""
    _require_unit(request.user)
    qs = selectors.activities_with_counts().filter(organiser_unit_id=request.user.unit_id).order_by("-starts_at", "-pk")
    return render(request, "services/ws_unit_activities.html", {"page": _page(request, qs), "now": timezone.now()})


def _own_activity(request, pk) -> Activity:
    _require_unit(request.user)
    return get_object_or_404(
        Activity.objects.select_related("grid_node"), pk=pk, organiser_unit_id=request.user.unit_id
    )


def _room_of(activity: Activity, unit_id: int):
    """The unit's room the activity is held in (its place is the room's name), if any."""
    for room in Room.objects.filter(unit_id=unit_id).select_related("unit"):
        if str(room) == activity.place:
            return room
    return None


@login_required
def unit_activity_edit(request, pk=None):
    """A unit publishes an activity at its venue (new), or edits one of its own before it starts."""
    activity = _own_activity(request, pk) if pk is not None else None
    _require_unit(request.user)
    initial = UnitActivityForm.initial_of(activity, _room_of(activity, request.user.unit_id)) if activity else None
    form = UnitActivityForm(request.POST or None, initial=initial, unit=request.user.unit)
    if activity is None:
        call = lambda data: actions.create_unit_activity(by=request.user, **data)  # noqa: E731
        done = _("活动已发布，居民可以报名了。")
    else:
        call = lambda data: actions.update_unit_activity(by=request.user, activity=activity, **data)  # noqa: E731
        done = _("活动已保存。")
    saved = submit_form(request, form, call, done)
    if saved:
        return redirect("services:activity", pk=saved.pk)
    return render(request, "services/ws_unit_activity_edit.html", {"form": form, "activity": activity})


@login_required
@require_POST
def unit_activity_cancel(request, pk):
    activity = _own_activity(request, pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        run_action(
            request,
            actions.cancel_activity,
            _("活动已取消，已通知报名的居民。"),
            activity=activity,
            **form.cleaned_data,
        )
    else:
        run_action(request, actions.cancel_activity, "", activity=activity, reason="")
    return redirect("services_ws:unit_activities")


@login_required
def recurring(request):
    """The unit's recurring station services (count + page, each with its station)."""
    _require_unit(request.user)
    qs = (
        RecurringService.objects.filter(provider_unit_id=request.user.unit_id)
        .select_related("station", "provider_unit")
        .order_by("-is_active", "station__name", "pk")
    )
    return render(request, "services/ws_recurring.html", {"page": _page(request, qs)})


@login_required
def recurring_edit(request, pk=None):
    """A unit publishes a recurring service at a station of its street, or changes one of its own."""
    _require_unit(request.user)
    rule = None
    if pk is not None:
        rule = get_object_or_404(
            RecurringService.objects.select_related("station__grid_node"), pk=pk, provider_unit_id=request.user.unit_id
        )
    form = RecurringServiceForm(request.POST or None, instance=rule, unit=request.user.unit)
    saved = submit_form(
        request,
        form,
        lambda data: actions.save_recurring_service(
            by=request.user, rule=rule, **{name: data[name] for name in form.Meta.fields}
        ),
        _("常态化服务已保存，未来30天的场次已排好。"),
    )
    if saved:
        return redirect("services_ws:recurring")
    return render(request, "services/ws_recurring_edit.html", {"form": form, "rule": rule})
