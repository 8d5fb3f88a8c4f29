"""Meetings of the joint committee: scheduled with their invitations and agenda, held, minuted or cancelled;
invitations answered and checked in."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.committee import events
from alliance.committee.actions._common import can_answer, current_seats, require_manager, transition_with_text
from alliance.committee.models import AgendaItem, Committee, CommitteeSettings, Invitation, Matter, Meeting
from alliance.core.events import send_on_commit
from alliance.core.transitions import Step, lock, transition

S = Meeting.Status
# The moves of a meeting and of the matters on its agenda, declared once (alliance.core.transitions.Step).
# fmt: off
CHECK_IN = Step(True, (False,), gettext_lazy("已签到。"), stamp="checked_in", state_field="checked_in")
MINUTES = Step(S.HELD, (S.HELD,), gettext_lazy("只有已召开的会议才能录入纪要。"))
HOLD = Step(S.HELD, (S.SCHEDULED,), lambda m: _("会议“%(title)s”%(status)s，不能登记召开。") % {"title": m.title, "status": m.get_status_display()}, stamp="held")
CANCEL = Step(S.CANCELLED, (S.SCHEDULED,), lambda m: _("会议“%(title)s”%(status)s，不能取消。") % {"title": m.title, "status": m.get_status_display()},
              stamp="cancelled", event=events.meeting_cancelled)
STUDY_ON_AGENDA = Step(Matter.Status.UNDER_STUDY, (Matter.Status.PROPOSED,), lambda m: _("议题“%(title)s”已不在已提出状态。") % {"title": m.title},
                       stamp="studied")
# fmt: on


def _invite_seats(meeting: Meeting) -> int:
    """One invitation per seat current on the meeting day (kept if it already exists)."""
    day = timezone.localtime(meeting.starts_at).date()
    seats = list(current_seats(meeting.committee, day).only("id", "unit_id"))
    invited = set(meeting.invitations.filter(seat__isnull=False).values_list("seat_id", flat=True))
    new = [Invitation(meeting=meeting, seat=s, unit_id=s.unit_id) for s in seats if s.pk not in invited]
    Invitation.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def schedule_meeting(
    *,
    by,
    committee: Committee,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime | None = None,
    place: str = "",
    kind: str = Meeting.Kind.PLENARY,
    summary: str = "",
    deliberation_month: datetime.date | None = None,
) -> Meeting:
    """A scheduled meeting with an invitation for every current seat."""
    if by is not None:
        require_manager(by, committee)
    if not (title or "").strip():
        raise ValidationError({"title": _("请填写会议名称。")})
    if kind not in Meeting.Kind.values:
        raise ValidationError({"kind": _("会议类型不正确。")})
    if by is not None and starts_at < timezone.now():
        # People schedule meetings ahead; the monthly deliberation day (``by=None``) schedules its own.
        raise ValidationError({"starts_at": _("开始时间不能早于现在。")})
    ends_at = ends_at or starts_at + datetime.timedelta(hours=2)
    if ends_at < starts_at:
        raise ValidationError({"ends_at": _("结束时间不能早于开始时间。")})
    meeting = Meeting.objects.create(
        committee=committee,
        kind=kind,
        title=title.strip(),
        summary=summary,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place or CommitteeSettings.load().default_place,
        deliberation_month=deliberation_month,
        created_by=by,
    )
    _invite_seats(meeting)
    send_on_commit(events.meeting_scheduled, sender=Meeting, instance=meeting, by=by)
    return meeting


def invite_seats(*, by, meeting: Meeting) -> int:
    """Invitations for the seats of a meeting created elsewhere (the admin form)."""
    require_manager(by, meeting.committee)
    with transaction.atomic():
        return _invite_seats(meeting)


@transaction.atomic
def invite_unit(*, by, meeting: Meeting, unit) -> Invitation:
    """A unit invited to attend (列席) as a whole."""
    require_manager(by, meeting.committee)
    if meeting.status != S.SCHEDULED:
        raise ValidationError(_("只能为尚未召开的会议发出邀请。"))
    invitation, _created = Invitation.objects.get_or_create(meeting=meeting, seat=None, unit=unit)
    return invitation


@transaction.atomic
def put_on_agenda(*, by, meeting: Meeting, matter: Matter, note: str = "") -> AgendaItem:
    """A matter of the committee on a scheduled meeting's agenda, at the end."""
    require_manager(by, meeting.committee)
    meeting = lock(meeting)
    if meeting.status != S.SCHEDULED:
        raise ValidationError(_("只能为尚未召开的会议安排议程。"))
    if matter.committee_id != meeting.committee_id and matter.committee.parent_id != meeting.committee_id:
        raise ValidationError({"matter": _("该议题不属于本委员会。")})
    if matter.status not in (Matter.Status.PROPOSED, Matter.Status.UNDER_STUDY, Matter.Status.DEFERRED):
        raise ValidationError(
            {
                "matter": _("议题“%(title)s”%(status)s，无需上会。")
                % {"title": matter.title, "status": matter.get_status_display()}
            }
        )
    existing = meeting.agenda.filter(matter=matter).first()
    if existing:
        return existing
    position = (meeting.agenda.aggregate(m=models.Max("position"))["m"] or 0) + 1
    return AgendaItem.objects.create(meeting=meeting, matter=matter, position=position, note=note)


def _minutes_fields(minutes: str, decisions: str, now) -> dict:
    fields: dict = {}
    if minutes.strip():
        fields.update(minutes=minutes.strip(), minutes_at=now)
    if decisions.strip():
        fields["decisions"] = decisions.strip()
    return fields


def _check_in(invitation: Invitation, *, by, now=None) -> Invitation:
    return CHECK_IN.run(invitation, by=by, now=now)


@transaction.atomic
def hold_meeting(*, by, meeting: Meeting, minutes: str = "", decisions: str = "", attended_seat_ids=None) -> Meeting:
    """scheduled → held: the attendance is checked in, the agenda's proposed matters go under study."""
    require_manager(by, meeting.committee)
    meeting = lock(meeting)  # checked on the locked row, as the transition checks it again
    now = timezone.now()
    if meeting.status == S.SCHEDULED and meeting.starts_at > now:
        raise ValidationError(_("会议尚未开始，不能登记为已召开。"))
    meeting = HOLD.run(meeting, by=by, now=now, fields=_minutes_fields(minutes, decisions, now))
    # Row by row, as check_in and study_matter do: stamped and in each row's history.
    if attended_seat_ids is not None:
        attended = meeting.invitations.filter(seat_id__in=list(attended_seat_ids), checked_in=False)
        for invitation in attended.order_by("pk"):
            _check_in(invitation, by=by, now=now)
    on_agenda = Matter.objects.filter(agenda_items__meeting=meeting, status=Matter.Status.PROPOSED)
    for matter in on_agenda.order_by("pk"):
        STUDY_ON_AGENDA.run(matter, by=by, now=now)
    return meeting


@transaction.atomic
def record_minutes(*, by, meeting: Meeting, minutes: str, decisions: str = "") -> Meeting:
    """The minutes (and decisions) of a held meeting."""
    require_manager(by, meeting.committee)
    meeting = lock(meeting)  # checked on the locked row, as the transition checks it again
    if meeting.status == S.HELD and not (minutes or "").strip():
        raise ValidationError({"minutes": _("请填写会议纪要。")})
    return MINUTES.run(meeting, by=by, fields=_minutes_fields(minutes or "", decisions, timezone.now()))


def cancel_meeting(*, by, meeting: Meeting, reason: str) -> Meeting:
    """scheduled → cancelled, with the reason."""
    require_manager(by, meeting.committee)
    missing = {"reason": _("请填写取消原因。")}
    return transition_with_text(CANCEL, meeting, by=by, text=reason, field="cancel_reason", missing=missing)


def answer_invitation(*, by, invitation: Invitation, answer: str) -> Invitation:
    """The invitee answers attend / decline while the meeting is still ahead."""
    invitation = Invitation.objects.select_related("seat", "meeting__committee__grid_node").get(pk=invitation.pk)
    if not can_answer(by, invitation):
        raise PermissionDenied(_("只能答复本单位或本人的参会邀请。"))
    if answer not in (Invitation.Answer.ATTEND, Invitation.Answer.DECLINE):
        raise ValidationError({"answer": _("请选择参加或不参加。")})
    meeting = invitation.meeting
    if meeting.status != S.SCHEDULED or meeting.starts_at <= timezone.now():
        raise ValidationError(_("会议已开始、已召开或已取消，不能再答复。"))
    # A new answer replaces the last one: every answer is a source.
    return transition(
        invitation,
        state_field="answer",
        to=answer,
        sources=Invitation.Answer.values,
        by=by,
        stamp="answered",
        refused=_("请选择参加或不参加。"),
    )


def check_in(*, by, invitation: Invitation) -> Invitation:
    """Attendance at the meeting, recorded by its managers."""
    invitation = Invitation.objects.select_related("meeting__committee__grid_node").get(pk=invitation.pk)
    require_manager(by, invitation.meeting.committee)
    if invitation.meeting.status == S.CANCELLED:
        raise ValidationError(_("会议已取消，不能签到。"))
    if invitation.checked_in:
        return invitation
    return _check_in(invitation, by=by)
