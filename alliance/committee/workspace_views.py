"""Workspace of the joint committee: the meetings a unit is invited to, answers, and matters it raises."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.committee import actions
from alliance.committee.forms_committee import AnswerForm, RaiseMatterForm
from alliance.committee.models import Committee, Invitation, Matter
from alliance.committee.selectors import answerable_invitations_q
from alliance.core.inputs import submit_form
from members.models import MemberUnit


def committees_for(user):
    """The committees a unit may bring a matter to: those of the grid nodes above and at its own."""
    if user.unit_id:
        path = MemberUnit.objects.filter(pk=user.unit_id).values_list("grid_node__path", flat=True).first()
    else:
        path = user.grid_node.path if user.grid_node_id else None
    if not path:
        return Committee.objects.none()
    ancestor_ids = [int(part) for part in path.split("/") if part]
    # The district's committees (no grid node) are above every unit of the district.
    above = Q(grid_node_id__in=ancestor_ids) | Q(grid_node__isnull=True)
    return Committee.objects.filter(above).order_by(F("grid_node__path").asc(nulls_first=True), "kind", "id")


@login_required
def index(request):
    """Upcoming and past invitations with their answers, and the matters this unit raised (4 queries
    after the session: invitations with meetings and seats, matters with committees)."""
    user = request.user
    now = timezone.now()
    invitations = (
        Invitation.objects.filter(answerable_invitations_q(user))
        .select_related("meeting__committee", "seat", "unit")
        .order_by("-meeting__starts_at", "id")[:50]
    )
    matters = []
    if user.unit_id:
        matters = (
            Matter.objects.filter(raised_by_unit_id=user.unit_id)
            .select_related("committee")
            .order_by("-created_at")[:30]
        )
    context = {"invitations": invitations, "matters": matters, "now": now, "can_raise": bool(user.unit_id)}
    return render(request, "alliance/workspace/index.html", context)


@login_required
@require_POST
def answer(request, pk: int):
    invitation = get_object_or_404(Invitation.objects.filter(answerable_invitations_q(request.user)).distinct(), pk=pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择参加或不参加。"))
        return redirect("alliance_ws:index")
    try:
        actions.answer_invitation(by=request.user, invitation=invitation, answer=form.cleaned_data["answer"])
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("已答复。"))
    return redirect("alliance_ws:index")


@login_required
def raise_matter(request):
    user = request.user
    if not user.unit_id:
        raise PermissionDenied(_("只有成员单位联络员可以在这里提出议题。"))
    committees = committees_for(user)
    form = RaiseMatterForm(request.POST or None, committees=committees)
    if submit_form(
        request, form, lambda data: actions.raise_matter(by=user, **data), _("议题已提交，将由委员会安排研究。")
    ):
        return redirect("alliance_ws:index")
    return render(request, "alliance/workspace/raise_matter.html", {"form": form})
