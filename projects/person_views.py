"""A person's own claims (我的认领): party members and residents who volunteer claim projects open to individuals,
follow their claim's state and report the hours they served (/lists/my-claims/).

Reads through ``projects.selectors``, writes through ``projects.actions``; the list runs a fixed number of queries.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from alliance.core.inputs import submit_form
from projects import actions, selectors
from projects.forms import HoursReportForm
from projects.models import ProgressReport

PAGE_SIZE = 20


@login_required
def my_claims(request):
    """我的认领: the person's claims, newest first, with their state and hours (the count and one page)."""
    page = Paginator(selectors.my_claims(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "projects/my_claims.html", {"page": page})


@login_required
def my_claim(request, pk: int):
    """One of the person's claims: its state, the decision, the hours reported and the form to report more."""
    obj = get_object_or_404(
        selectors.my_claims(request.user).prefetch_related(
            Prefetch("reports", queryset=ProgressReport.objects.prefetch_related("photos"))
        ),
        pk=pk,
    )
    form = HoursReportForm(request.POST or None, request.FILES or None)
    done = _("服务记录已提交，社区确认完成后计入您的服务时长和积分。")
    if submit_form(request, form, lambda data: actions.report_progress(by=request.user, claim=obj, **data), done):
        return redirect("projects:my_claim", pk=pk)
    return render(request, "projects/my_claim.html", {"claim": obj, "form": form})
