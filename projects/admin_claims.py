"""The claims' admin: who claimed (a unit, or a person with the phone masked) and the filter between them, the
claims with their workflow buttons, and the progress reports with their photos."""

from django import forms
from django.contrib import admin
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alliance.core.admin_base import ScopedAdmin, ScopedInline, Transition, reason_form
from alliance.core.admin_waiting import WaitingColumn
from alliance.core.privacy import mask_phone
from alliance.core.todo import todo_filter
from projects import actions, todo
from projects.deadlines import ClaimClock
from projects.models import Claim, ProgressPhoto, ProgressReport


def claimant_text(claim: Claim) -> str:
    """The unit's name, or the person's name with the phone masked (个人)."""
    if claim.person_id:
        person = claim.person
        phone = mask_phone(person.phone)
        if phone:
            return gettext("%(name)s（个人，%(phone)s）") % {"name": person.name, "phone": phone}
        return gettext("%(name)s（个人）") % {"name": person.name}
    return claim.unit.name if claim.unit_id else ""


class ClaimantFilter(admin.SimpleListFilter):
    title = _("认领方")
    parameter_name = "claimant"

    def lookups(self, request, model_admin):
        return (("unit", _("单位认领")), ("person", _("个人认领")))

    def queryset(self, request, queryset):
        if self.value() == "unit":
            return queryset.filter(unit__isnull=False)
        if self.value() == "person":
            return queryset.filter(person__isnull=False)
        return queryset


class ProgressPhotoInline(ScopedInline):
    model = ProgressPhoto
    fields = ("image",)


@admin.register(ProgressReport)
class ProgressReportAdmin(ScopedAdmin):
    list_display = ("claim", "created_at", "created_by")
    list_select_related = ("claim__project", "claim__unit", "created_by")
    inlines = [ProgressPhotoInline]
    raw_id_fields = ("claim",)


class ClaimEvaluationForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("社区评分"), choices=[(i, format_lazy(_("{n} 分"), n=i)) for i in range(5, 0, -1)], coerce=int
    )
    comment = forms.CharField(label=_("评价"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


@admin.register(Claim)
class ClaimAdmin(WaitingColumn, ScopedAdmin):
    """Claims are made by units and by persons (party members, residents who volunteer); here staff decide,
    complete (for a person: confirming the hours reported) and evaluate them, each through its action.
    Running claims show when their next progress report is due, late ones first (a table of thousands)."""

    list_display = ("project", "claimant", "status", "hours", "time_limit", "claimed_at", "last_progress_at", "rating")
    overdue_first_always = True
    list_filter = (todo_filter(todo.LINES), ClaimantFilter, "status", "rating")
    search_fields = ("project__title", "unit__name", "person__display_name")
    list_select_related = ("project__grid_node", "unit", "person")
    workflow_fields = ("decision_note",)
    readonly_fields = ("project", "claimant", "note")
    fieldsets = (
        (None, {"fields": ("project", "claimant", "status", "note", "claimed_by", "claimed_at")}),
        (_("审核"), {"fields": ("decision_note", "decided_by", "decided_at")}),
        (_("实施"), {"fields": ("started_at", "last_progress_at", "hours", "completed_at")}),
        (_("社区评价（1–5 分）"), {"fields": ("rating", "evaluation", "evaluated_by", "evaluated_at")}),
    )

    @admin.display(description=_("认领方"))
    def claimant(self, obj):
        return claimant_text(obj)

    def waiting_clock(self):
        return ClaimClock()

    def with_overdue(self, clock, qs):
        return clock.claims(qs)

    def waiting_of(self, clock, obj):
        return clock.waiting(obj)

    transitions = (
        Transition(
            "approve",
            _("通过认领"),
            actions.approve_claim,
            bulk_label=_("通过所选认领"),
            when=("pending",),
            done=_("已通过"),
        ),
        Transition(
            "reject",
            _("驳回认领"),
            actions.reject_claim,
            bulk_label=_("驳回所选认领"),
            when=("pending", "approved"),
            form=reason_form(_("驳回理由"), name="note"),
            done=_("已驳回"),
        ),
        Transition(
            "complete",
            _("确认完成"),
            actions.complete_claim,
            when=("approved", "in_progress"),
            done=_("已确认完成"),
        ),
        Transition(
            "evaluate",
            _("社区评价"),
            actions.evaluate_claim,
            when=("completed", "evaluated"),
            form=ClaimEvaluationForm,
            done=_("已评价"),
        ),
    )

    def has_add_permission(self, request, *args):
        return False
