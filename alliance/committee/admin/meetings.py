"""Admin of meetings with their agenda and attendance; transitions go through alliance.committee.actions."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from alliance.committee import actions, todo
from alliance.committee.models import AgendaItem, Invitation, Meeting
from alliance.core.admin_base import ScopedAdmin, ScopedInline, Transition, adopt, reason_form
from alliance.core.admin_parts import PrintLink
from alliance.core.todo import todo_filter


class AgendaInline(ScopedInline):
    model = AgendaItem
    fields = ["position", "matter", "note"]
    raw_id_fields = ["matter"]


class InvitationInline(ScopedInline):
    model = Invitation
    fields = ["seat", "unit", "answer", "answered_at", "checked_in", "checked_in_at"]
    # The answer is the invitee's; attendance is ticked here and recorded by actions.check_in (MeetingAdmin).
    workflow_fields = ["answer"]
    raw_id_fields = ["seat", "unit"]


def _hold(by, meeting, **inputs):
    """Held, with the invitations checked in so far as the attendance and the minutes written so far."""
    attended = list(meeting.invitations.filter(checked_in=True).values_list("seat_id", flat=True))
    return actions.hold_meeting(
        by=by, meeting=meeting, minutes=meeting.minutes, decisions=meeting.decisions, attended_seat_ids=attended
    )


@admin.register(Meeting)
class MeetingAdmin(PrintLink, ScopedAdmin):
    print_url_name = "alliance_ws:meeting_print"
    list_display = ["title", "committee", "kind", "starts_at", "place", "status", "has_minutes"]
    list_filter = [todo_filter(todo.LINES), "status", "kind", "committee__kind"]
    search_fields = ["title", "place", "committee__name"]
    date_hierarchy = "starts_at"
    list_select_related = ["committee"]
    inlines = [AgendaInline, InvitationInline]
    readonly_fields = ["status", "held_at", "held_by", "minutes_at", "cancelled_at", "cancelled_by", "cancel_reason"]
    workflow_fields = ["cancel_reason", "deliberation_month"]
    fieldsets = [
        (None, {"fields": ["committee", "kind", "title", "summary", "starts_at", "ends_at", "place"]}),
        (_("会议记录"), {"fields": ["minutes", "decisions"]}),
        (_("状态"), {"fields": readonly_fields}),
    ]
    transitions = (
        Transition(
            "mark_held",
            _("登记为已召开（已签到的为出席）"),
            _hold,
            when=("scheduled",),
            done=_("已登记召开"),
        ),
        Transition(
            "cancel",
            _("取消会议"),
            actions.cancel_meeting,
            when=("scheduled",),
            form=reason_form(_("取消原因")),
            done=_("已取消"),
        ),
    )
    actions = ["invite_seats"]

    @admin.display(description=_("纪要"), boolean=True)
    def has_minutes(self, obj):
        return bool(obj.minutes)

    def save_model(self, request, obj, form, change):
        if not change:
            # Scheduled by the action: the manager's scope, the default place, an invitation for every seat.
            data = form.cleaned_data
            created = actions.schedule_meeting(
                by=request.user,
                committee=obj.committee,
                title=obj.title,
                starts_at=obj.starts_at,
                ends_at=obj.ends_at,
                place=obj.place,
                kind=obj.kind,
                summary=obj.summary,
            )
            if data.get("minutes") or data.get("decisions"):
                created.minutes, created.decisions = obj.minutes, obj.decisions
                created.save(update_fields=["minutes", "decisions"])
            adopt(obj, created)
            return
        if {"minutes", "decisions"} & set(form.changed_data) and obj.status == Meeting.Status.HELD:
            actions.record_minutes(by=request.user, meeting=obj, minutes=obj.minutes, decisions=obj.decisions)
            return
        if "minutes" in form.changed_data and obj.minutes and obj.minutes_at is None:
            obj.minutes_at = timezone.now()
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Invitation:
            return super().save_formset(request, form, formset, change)
        # Attendance ticked here is recorded by the action (scope, stamp); a tick is not taken back here.
        ticked = []
        for inline_form in formset.forms:
            if "checked_in" not in inline_form.changed_data or inline_form in formset.deleted_forms:
                continue
            if inline_form.cleaned_data.get("checked_in"):
                ticked.append(inline_form.instance)
            inline_form.instance.checked_in = bool(inline_form.initial.get("checked_in"))
        super().save_formset(request, form, formset, change)
        for invitation in ticked:
            actions.check_in(by=request.user, invitation=invitation)

    @admin.action(description=_("邀请现任全体委员（已邀请的不重复）"))
    def invite_seats(self, request, queryset):
        invited = 0
        for meeting in queryset.filter(status=Meeting.Status.SCHEDULED):
            try:
                invited += actions.invite_seats(by=request.user, meeting=meeting)
            except PermissionDenied as exc:
                self.message_user(request, f"{meeting}:{exc}", messages.ERROR)
        self.message_user(
            request,
            ngettext("新邀请委员 %(n)s 人次。", "新邀请委员 %(n)s 人次。", invited) % {"n": invited},
            messages.SUCCESS,
        )
