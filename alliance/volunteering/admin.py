"""Admin of dual reporting: the community confirms or returns a report, issues the year's feedback sheet and
evaluates it; every change goes through alliance.volunteering.actions (the rows themselves are read-only)."""

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance.core.admin_base import ScopedAdmin, Transition, reason_form
from alliance.core.admin_parts import PrintLink
from alliance.core.todo import todo_filter
from alliance.volunteering import actions, todo
from alliance.volunteering.exports import FEEDBACK_SHEETS, REPORTS
from alliance.volunteering.models import DualReport, FeedbackSheet

WAITING = tuple(DualReport.WAITING)


class YearForm(forms.Form):
    year = forms.IntegerField(
        label=_("年度"),
        min_value=2000,
        max_value=2100,
        initial=lambda: timezone.localdate().year - 1,
        help_text=_("按该年度的服务记录生成反馈单；已生成的会更新时长和次数。"),
    )


class EvaluationForm(forms.Form):
    evaluation = forms.ChoiceField(label=_("社区评价"), choices=FeedbackSheet.Evaluation.choices)
    comment = forms.CharField(label=_("评语"), required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


@admin.register(DualReport)
class DualReportAdmin(ScopedAdmin):
    export = REPORTS
    list_display = ["member", "community", "micro_grid", "in_service", "post", "status", "submitted_at"]
    list_filter = [todo_filter(todo.LINES), "status", "in_service"]
    search_fields = ["member__name", "party_organization", "volunteer_role"]
    date_hierarchy = "submitted_at"
    list_select_related = ["member", "community", "micro_grid", "team", "menu_item"]
    # The member's own report: what they typed is theirs (they correct it when it is returned).
    workflow_fields = [
        "member",
        "community",
        "micro_grid",
        "in_service",
        "unit",
        "party_organization",
        "skills",
        "serve_note",
        "team",
        "menu_item",
        "volunteer_role",
        "return_reason",
    ]
    # The times are shown in words (serve_times_shown), not as the stored list of codes.
    fields = [
        "member",
        "community",
        "micro_grid",
        "in_service",
        "unit",
        "party_organization",
        "skills",
        "serve_times_shown",
        "serve_note",
        "team",
        "menu_item",
        "volunteer_role",
        "status",
        "return_reason",
        "submitted_at",
        "submitted_by",
        "confirmed_at",
        "confirmed_by",
        "returned_at",
        "returned_by",
        "resubmitted_at",
        "resubmitted_by",
    ]
    readonly_fields = ["serve_times_shown"]
    transitions = (
        Transition(
            "confirm", _("确认报到"), actions.confirm_report, arg="dual_report", when=WAITING, done=_("已确认报到")
        ),
        Transition(
            "return_report",
            _("退回"),
            actions.return_report,
            arg="dual_report",
            when=WAITING,
            form=reason_form(_("退回原因"), max_length=200),
            done=_("已退回"),
        ),
        Transition(
            "issue_sheet",
            _("生成年度反馈单"),
            actions.issue_sheet,
            arg="dual_report",
            when=("confirmed",),
            form=YearForm,
            done=_("已生成反馈单"),
        ),
    )

    @admin.display(description=_("可服务时间"))
    def serve_times_shown(self, obj):
        return obj.serve_times_text or "—"

    @admin.display(description=_("认领岗位"))
    def post(self, obj):
        return obj.post_text

    def has_add_permission(self, request, *args):
        # Members report themselves in the portal (/volunteering/report/).
        return False


@admin.register(FeedbackSheet)
class FeedbackSheetAdmin(PrintLink, ScopedAdmin):
    export = FEEDBACK_SHEETS
    print_url_name = "volunteering:feedback_print"
    list_display = ["year", "member", "unit", "community", "hours", "services", "evaluation"]
    list_filter = ["year", "evaluation", "unit"]
    search_fields = ["member__name", "unit__name", "party_organization"]
    list_select_related = ["member", "unit", "community"]
    workflow_fields = [
        "member",
        "year",
        "community",
        "unit",
        "party_organization",
        "hours",
        "services",
        "evaluation",
        "comment",
    ]
    transitions = (
        Transition(
            "evaluate",
            _("社区评价"),
            actions.evaluate_sheet,
            arg="feedback_sheet",
            form=EvaluationForm,
            done=_("已评价"),
        ),
    )

    def has_add_permission(self, request, *args):
        # Sheets are issued from a confirmed report (生成年度反馈单).
        return False
