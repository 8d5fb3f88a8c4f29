"""The printable page of a resident issue with its timeline (alliance.core.printing). Staff only; outside the
viewer's subtree: 404."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from alliance.core.printing import render_print, staff_print_view
from alliance.core.scoping import scope_queryset
from services.models import Issue, IssueEvent


@staff_print_view
def issue_print(request, pk: int):
    """Two queries whatever the timeline's length: the issue with its grid node and handler; its events with who."""
    issues = Issue.objects.select_related("grid_node", "handler").prefetch_related(
        Prefetch("events", queryset=IssueEvent.objects.select_related("by").order_by("at", "id"))
    )
    issue = get_object_or_404(scope_queryset(issues, request.user), pk=pk)
    return render_print(request, "print/issue.html", {"issue": issue, "events": list(issue.events.all())})
