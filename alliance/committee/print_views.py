"""Printable pages of the joint committee (alliance.core.printing): a meeting's minutes with its agenda and
attendance, a matter with its follow-up. Staff only; outside the viewer's subtree: 404."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone

from alliance.committee.models import AgendaItem, Invitation, Matter, Meeting, Milestone
from alliance.core.printing import render_print, staff_print_view
from alliance.core.scoping import scope_queryset


@staff_print_view
def meeting_print(request, pk: int):
    """Three queries whatever the meeting's size: the meeting with its committee; its agenda with matters;
    its invitations with seats and units."""
    meetings = Meeting.objects.select_related("committee").prefetch_related(
        Prefetch("agenda", queryset=AgendaItem.objects.select_related("matter").order_by("position", "id")),
        Prefetch("invitations", queryset=Invitation.objects.select_related("seat__unit", "unit")),
    )
    meeting = get_object_or_404(scope_queryset(meetings, request.user), pk=pk)
    invitations = list(meeting.invitations.all())
    context = {
        "meeting": meeting,
        "agenda": list(meeting.agenda.all()),
        "invitations": invitations,
        "attended": sum(1 for inv in invitations if inv.checked_in),
    }
    return render_print(request, "print/meeting.html", context)


@staff_print_view
def matter_print(request, pk: int):
    """Three queries: the matter with committee and unit; its milestones with owners; the meetings that studied it."""
    matters = Matter.objects.select_related("committee", "raised_by_unit").prefetch_related(
        Prefetch(
            "milestones", queryset=Milestone.objects.select_related("owner", "owner_unit").order_by("sort_order", "id")
        ),
        Prefetch(
            "agenda_items",
            queryset=AgendaItem.objects.select_related("meeting").order_by("meeting__starts_at", "id"),
        ),
    )
    matter = get_object_or_404(scope_queryset(matters, request.user), pk=pk)
    today = timezone.localdate()
    milestones = list(matter.milestones.all())
    for milestone in milestones:
        milestone.late_days = milestone.days_late(today)  # type: ignore[attr-defined]  # shown beside it
    context = {"matter": matter, "milestones": milestones, "meetings": list(matter.agenda_items.all())}
    return render_print(request, "print/matter.html", context)
