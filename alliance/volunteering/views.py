"""The member's dual-report pages (/volunteering/report/) and the staff's printable feedback sheet."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.core.inputs import submit_form
from alliance.core.printing import render_print, staff_print_view
from alliance.volunteering import actions, selectors
from alliance.volunteering.forms import DualReportForm
from alliance.volunteering.models import DualReport


def _street(user):
    node = user.grid_node
    return node.street_id if node else None


@login_required
def my_report(request):
    """The member's report: its state, the return reason, and this year's service record (three queries after
    the session's: the report with its links, its skills, the member's points entries of the year)."""
    report = selectors.own_report(request.user)
    if report is None:
        if not actions.can_report(request.user):
            return render(request, "volunteering/not_member.html", status=403)
        return redirect("volunteering:report_new")
    year = timezone.localdate().year
    record = selectors.service_record(report.member, year)
    return render(request, "volunteering/my_report.html", {"report": report, "record": record})


@login_required
def report_new(request):
    """The dual-report form: a signed-in party member reports to the community where they live."""
    if not actions.can_report(request.user):
        return render(request, "volunteering/not_member.html", status=403)
    if selectors.own_report(request.user) is not None:
        return redirect("volunteering:my_report")
    has_phone = bool(request.user.phone) or hasattr(request.user, "party_member")
    form = DualReportForm(request.POST or None, street=_street(request.user), ask_phone=not has_phone)

    def submit(data):
        data = form.report_data()
        return actions.submit_report(by=request.user, **data)

    if submit_form(request, form, submit, _("报到已提交，请等待社区确认。")):
        return redirect("volunteering:my_report")
    return render(request, "volunteering/report_form.html", {"form": form, "resubmit": False})


@login_required
def report_resubmit(request):
    """A returned report corrected and sent again (its reason shown above the form)."""
    report = selectors.own_report(request.user)
    if report is None:
        return redirect("volunteering:report_new")
    if report.status != DualReport.Status.RETURNED:
        return redirect("volunteering:my_report")
    form = DualReportForm(
        request.POST or None,
        initial=DualReportForm.initial_from(report),
        street=report.community.street_id,
        ask_phone=False,
    )

    def resubmit(data):
        return actions.resubmit_report(by=request.user, dual_report=report, **form.report_data())

    if submit_form(request, form, resubmit, _("已重新提交，请等待社区确认。")):
        return redirect("volunteering:my_report")
    return render(request, "volunteering/report_form.html", {"form": form, "resubmit": True, "report": report})


@staff_print_view
def feedback_print(request, pk: int):
    """报到反馈单, printable: the sheet and the member's services of the year (two queries)."""
    sheet = get_object_or_404(selectors.sheets_for(request.user), pk=pk)
    record = selectors.service_record(sheet.member, sheet.year)
    return render_print(request, "print/feedback_sheet.html", {"sheet": sheet, "record": record})
