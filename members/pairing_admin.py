"""Admin of pairings (结对共建): signed through ``create_pairing``, commitments added through their action, services
and yearly reviews recorded and a pairing terminated through transition buttons; Excel export.

Registered by members.admin (imported there).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from alliance.core.admin_base import ReadOnlyInline, ScopedAdmin, ScopedInline, Transition, reason_form
from alliance.core.admin_parts import CreatedByAction
from grids.admin_filters import grid_node_filter
from members import actions
from members.exports import PAIRINGS
from members.models import Pairing, PairingCommitment, PairingReview, PairingService
from members.pairing_forms import ReviewForm, ServiceForm


class CommitmentInline(ScopedInline):
    model = PairingCommitment
    fields = ("side", "text")
    extra = 1
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False  # a commitment signed stays as it was; a new one is added


class ServiceInline(ReadOnlyInline):
    model = PairingService
    fields = ("served_on", "side", "what", "people_served", "hours", "link_text", "recorded_by")
    readonly_fields = fields
    can_delete = False

    def has_delete_permission(self, request, obj=None):
        return False


class ReviewInline(ReadOnlyInline):
    model = PairingReview
    fields = ("year", "rating", "summary", "reviewed_by", "reviewed_at")
    readonly_fields = fields

    def has_delete_permission(self, request, obj=None):
        return False


ACTIVE = (Pairing.Status.ACTIVE,)


@admin.register(Pairing)
class PairingAdmin(CreatedByAction, ScopedAdmin):
    export = PAIRINGS
    list_display = ("unit", "partner", "grid_node", "starts_on", "ends_on", "status")
    list_filter = ("status", grid_node_filter("grid_node", _("社区")))
    search_fields = ("unit__name", "community__name", "partner_unit__name", "commitments__text")
    list_select_related = ("unit", "community", "partner_unit", "grid_node")
    raw_id_fields = ("unit", "partner_unit")
    date_hierarchy = "starts_on"
    inlines = [CommitmentInline, ServiceInline, ReviewInline]
    workflow_fields = ("grid_node", "termination_reason")
    transitions = (
        Transition(
            "record_service",
            _("登记结对服务"),
            actions.record_service,
            arg="pairing",
            when=ACTIVE,
            form=ServiceForm,
            bulk=False,
        ),
        Transition(
            "review",
            _("年度评议"),
            actions.review_pairing,
            arg="pairing",
            form=ReviewForm,
            bulk=False,
            done=_("已评议"),
        ),
        Transition(
            "terminate",
            _("终止结对"),
            actions.terminate_pairing,
            arg="pairing",
            when=ACTIVE,
            form=reason_form(_("终止原因"), max_length=300),
            done=_("已终止"),
        ),
    )

    @admin.display(description=_("乙方（结对方）"))
    def partner(self, obj):
        return obj.partner_name

    def get_fields(self, request, obj=None):
        fields = ["unit", "community", "partner_unit", "starts_on", "ends_on", "agreement"]
        return fields if obj is None else [*fields, "grid_node", "status", "termination_reason"]

    def get_readonly_fields(self, request, obj=None):
        fixed = ("unit", "community", "partner_unit", "starts_on") if obj is not None else ()
        return (*super().get_readonly_fields(request, obj), *fixed)

    def create(self, request, obj, data):
        return actions.create_pairing(
            by=request.user,
            unit=data["unit"],
            community=data.get("community"),
            partner_unit=data.get("partner_unit"),
            starts_on=data["starts_on"],
            ends_on=data.get("ends_on"),
            agreement=data.get("agreement") or None,
        )

    def save_model(self, request, obj, form, change):
        if change and "agreement" in form.changed_data and form.cleaned_data.get("agreement"):
            upload = form.cleaned_data["agreement"]
            obj.agreement = form.initial.get("agreement")
            super().save_model(request, obj, form, change)
            actions.attach_agreement(by=request.user, pairing=obj, agreement=upload)
            return
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is not PairingCommitment:
            return super().save_formset(request, form, formset, change)
        # New commitments go through the action (scope); signed ones are not changed here.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.forms:
            if row in formset.deleted_forms or not row.has_changed() or row.instance.pk:
                continue
            data = row.cleaned_data
            created = actions.add_commitment(
                by=request.user, pairing=form.instance, side=data.get("side", ""), text=data.get("text", "")
            )
            formset.new_objects.append(created)
        return None
