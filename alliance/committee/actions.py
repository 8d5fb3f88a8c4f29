"""Writes and transitions of the joint committee: meetings, matters, rotations, reminders."""

import calendar
import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone

from alliance.committee.models import (
    AgendaItem,
    ChairRotation,
    Committee,
    CommitteeSettings,
    Invitation,
    Matter,
    Meeting,
    Milestone,
    Seat,
)
from alliance.core import cache
from alliance.core.notifications import notify
from alliance.core.scoping import in_scope

# --- who may do what ---------------------------------------------------------------------------


def can_manage(user, committee: Committee) -> bool:
    """Street/community admins inside the committee's subtree, and superusers."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or (user.is_admin_role and in_scope(committee, user))


def _require_manager(by, committee: Committee) -> None:
    if not can_manage(by, committee):
        raise PermissionDenied("您无权管理该委员会的事务。")


def can_answer(user, invitation: Invitation) -> bool:
    """The invited seat's own account, the operator of the invited unit, or a manager."""
    if not user.is_authenticated:
        return False
    if invitation.seat is not None and invitation.seat.user_id == user.pk:
        return True
    if user.role == user.Role.UNIT_OPERATOR and user.unit_id and invitation_unit_id(invitation) == user.unit_id:
        return True
    return can_manage(user, invitation.meeting.committee)


def invitation_unit_id(invitation: Invitation) -> int | None:
    return invitation.unit_id or (invitation.seat.unit_id if invitation.seat is not None else None)


# --- matters -----------------------------------------------------------------------------------


@transaction.atomic
def raise_matter(
    *, by, committee: Committee, title: str, description: str = "", source: models.Model | None = None, unit=None
) -> Matter:
    """A matter for the committee, from a unit, a community or a source object (a need, a resident issue)."""
    if not by.is_authenticated:
        raise PermissionDenied("请先登录。")
    # Staff raise to committees in their subtree, or above it: a community's grid worker takes a big
    # resident issue to the street's joint committee (大事全网联动).
    staff_may_raise = (
        by.is_staff_role
        and by.grid_node_id
        and (in_scope(committee, by) or by.grid_node.path.startswith(committee.grid_node.path))
    )
    if not (staff_may_raise or by.is_superuser):
        # A unit operator raises in its unit's name, to a committee at or above the unit's grid node.
        if not (by.role == by.Role.UNIT_OPERATOR and by.unit_id):
            raise PermissionDenied("您无权向该委员会提出议题。")
        if not by.unit.grid_node.path.startswith(committee.grid_node.path):
            raise PermissionDenied("只能向本单位所在街道、社区的委员会提出议题。")
        unit = by.unit
    if not (title or "").strip():
        raise ValidationError({"title": "请填写议题名称。"})
    matter = Matter(
        committee=committee, title=title.strip(), description=description, raised_by=by, raised_by_unit=unit
    )
    if source is not None:
        matter.source_type = ContentType.objects.get_for_model(source)
        matter.source_id = source.pk
    matter.save()
    return matter


def _locked_matter(matter: Matter) -> Matter:
    # Lock only the matter's row, not its committee and grid node (joined for the scope check).
    return Matter.objects.select_for_update(of=("self",)).select_related("committee__grid_node").get(pk=matter.pk)


@transaction.atomic
def study_matter(*, by, matter: Matter) -> Matter:
    """proposed / deferred → under study."""
    matter = _locked_matter(matter)
    _require_manager(by, matter.committee)
    if matter.status == Matter.Status.UNDER_STUDY:
        return matter
    if matter.status not in (Matter.Status.PROPOSED, Matter.Status.DEFERRED):
        raise ValidationError(f"议题“{matter.title}”{matter.get_status_display()},不能再转入研究。")
    matter.status = Matter.Status.UNDER_STUDY
    matter.studied_at = timezone.now()
    matter.studied_by = by
    matter.save(update_fields=["status", "studied_at", "studied_by"])
    return matter


@transaction.atomic
def resolve_matter(*, by, matter: Matter, resolution: str) -> Matter:
    """under study → resolved, with the resolution."""
    matter = _locked_matter(matter)
    _require_manager(by, matter.committee)
    if matter.status != Matter.Status.UNDER_STUDY:
        raise ValidationError(f"只有研究中的议题才能议决,议题“{matter.title}”{matter.get_status_display()}。")
    if not (resolution or "").strip():
        raise ValidationError({"resolution": "请填写议决结果。"})
    matter.status = Matter.Status.RESOLVED
    matter.resolution = resolution.strip()
    matter.resolved_at = timezone.now()
    matter.resolved_by = by
    matter.save(update_fields=["status", "resolution", "resolved_at", "resolved_by"])
    return matter


@transaction.atomic
def defer_matter(*, by, matter: Matter, reason: str) -> Matter:
    """proposed / under study → deferred, with the reason."""
    matter = _locked_matter(matter)
    _require_manager(by, matter.committee)
    if matter.status not in (Matter.Status.PROPOSED, Matter.Status.UNDER_STUDY):
        raise ValidationError(f"议题“{matter.title}”{matter.get_status_display()},不能暂缓。")
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写暂缓原因。"})
    matter.status = Matter.Status.DEFERRED
    matter.defer_reason = reason.strip()
    matter.deferred_at = timezone.now()
    matter.deferred_by = by
    matter.save(update_fields=["status", "defer_reason", "deferred_at", "deferred_by"])
    return matter


@transaction.atomic
def update_follow_up(*, by, matter: Matter, progress: int, note: str = "") -> Matter:
    """The progress of a resolved matter's follow-up; 100% marks it done (no longer shown as open)."""
    matter = _locked_matter(matter)
    _require_manager(by, matter.committee)
    if matter.status != Matter.Status.RESOLVED:
        raise ValidationError("只有已议决的议题才能登记落实进度。")
    try:
        progress = int(progress)
    except (TypeError, ValueError):
        raise ValidationError({"progress": "进度须为 0–100 的整数。"})
    if not 0 <= progress <= 100:
        raise ValidationError({"progress": "进度须为 0–100 的整数。"})
    now = timezone.now()
    matter.progress = progress
    matter.progress_note = (note or "").strip()[:200]
    matter.progress_updated_at = now
    matter.done_at = now if progress == 100 else None
    matter.save(update_fields=["progress", "progress_note", "progress_updated_at", "done_at"])
    return matter


@transaction.atomic
def add_milestone(*, by, matter: Matter, title: str, due_on: datetime.date | None = None) -> Milestone:
    matter = _locked_matter(matter)
    _require_manager(by, matter.committee)
    if matter.status != Matter.Status.RESOLVED:
        raise ValidationError("只有已议决的议题才能设置落实节点。")
    if not (title or "").strip():
        raise ValidationError({"title": "请填写节点名称。"})
    if due_on is not None and due_on < timezone.localdate():
        raise ValidationError({"due_on": "计划完成日期不能早于今天。"})
    position = matter.milestones.count() + 1
    return Milestone.objects.create(matter=matter, title=title.strip(), due_on=due_on, sort_order=position)


@transaction.atomic
def follow_up(
    *, by, matter: Matter, progress: int, note: str = "", milestone: str = "", milestone_due_on=None
) -> Matter:
    """One follow-up request: the progress and, optionally, a new milestone — both or neither are kept."""
    matter = update_follow_up(by=by, matter=matter, progress=progress, note=note)
    if (milestone or "").strip():
        try:
            add_milestone(by=by, matter=matter, title=milestone, due_on=milestone_due_on)
        except ValidationError as exc:
            # The milestone's fields are named after the request's (``milestone``, ``milestone_due_on``).
            if hasattr(exc, "error_dict"):
                names = {"title": "milestone", "due_on": "milestone_due_on"}
                raise ValidationError({names.get(k, k): v for k, v in exc.error_dict.items()}) from exc
            raise
    return matter


@transaction.atomic
def complete_milestone(*, by, milestone: Milestone, on: datetime.date | None = None) -> Milestone:
    milestone = (
        Milestone.objects.select_for_update().select_related("matter__committee__grid_node").get(pk=milestone.pk)
    )
    _require_manager(by, milestone.matter.committee)
    if milestone.done_on is None:
        milestone.done_on = on or timezone.localdate()
        milestone.save(update_fields=["done_on"])
    return milestone


@transaction.atomic
def hand_on_matter(*, by, matter: Matter):
    """A resolved matter handed on as a project of the project list (projects app)."""
    from projects.actions import create_project_from_matter  # the projects app builds it

    if matter.status != Matter.Status.RESOLVED:
        raise ValidationError("只有已议决的议题才能转为项目。")
    _require_manager(by, matter.committee)
    return create_project_from_matter(by=by, matter=matter)


# --- meetings ----------------------------------------------------------------------------------


def current_seats(committee: Committee, on: datetime.date):
    return Seat.objects.filter(committee=committee, term_start__lte=on).filter(
        models.Q(term_end__isnull=True) | models.Q(term_end__gte=on)
    )


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
        _require_manager(by, committee)
    if not (title or "").strip():
        raise ValidationError({"title": "请填写会议名称。"})
    if kind not in Meeting.Kind.values:
        raise ValidationError({"kind": "会议类型不正确。"})
    if by is not None and starts_at < timezone.now():
        # People schedule meetings ahead; the monthly deliberation day (``by=None``) schedules its own.
        raise ValidationError({"starts_at": "开始时间不能早于现在。"})
    ends_at = ends_at or starts_at + datetime.timedelta(hours=2)
    if ends_at < starts_at:
        raise ValidationError({"ends_at": "结束时间不能早于开始时间。"})
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
    return meeting


def invite_seats(*, by, meeting: Meeting) -> int:
    """Invitations for the seats of a meeting created elsewhere (the admin form)."""
    _require_manager(by, meeting.committee)
    with transaction.atomic():
        return _invite_seats(meeting)


@transaction.atomic
def invite_unit(*, by, meeting: Meeting, unit) -> Invitation:
    """A unit invited to attend (列席) as a whole."""
    _require_manager(by, meeting.committee)
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError("只能为尚未召开的会议发出邀请。")
    invitation, _ = Invitation.objects.get_or_create(meeting=meeting, seat=None, unit=unit)
    return invitation


def _locked_meeting(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update(of=("self",)).select_related("committee__grid_node").get(pk=meeting.pk)


@transaction.atomic
def put_on_agenda(*, by, meeting: Meeting, matter: Matter, note: str = "") -> AgendaItem:
    """A matter of the committee on a scheduled meeting's agenda, at the end."""
    meeting = _locked_meeting(meeting)
    _require_manager(by, meeting.committee)
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError("只能为尚未召开的会议安排议程。")
    if matter.committee_id != meeting.committee_id and matter.committee.parent_id != meeting.committee_id:
        raise ValidationError({"matter": "该议题不属于本委员会。"})
    if matter.status not in (Matter.Status.PROPOSED, Matter.Status.UNDER_STUDY, Matter.Status.DEFERRED):
        raise ValidationError({"matter": f"议题“{matter.title}”{matter.get_status_display()},无需上会。"})
    existing = meeting.agenda.filter(matter=matter).first()
    if existing:
        return existing
    position = (meeting.agenda.aggregate(m=models.Max("position"))["m"] or 0) + 1
    return AgendaItem.objects.create(meeting=meeting, matter=matter, position=position, note=note)


@transaction.atomic
def hold_meeting(*, by, meeting: Meeting, minutes: str = "", decisions: str = "", attended_seat_ids=None) -> Meeting:
    """scheduled → held: the attendance is checked in, the agenda's proposed matters go under study."""
    meeting = _locked_meeting(meeting)
    _require_manager(by, meeting.committee)
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError(f"会议“{meeting.title}”{meeting.get_status_display()},不能登记召开。")
    now = timezone.now()
    if meeting.starts_at > now:
        raise ValidationError("会议尚未开始,不能登记为已召开。")
    meeting.status = Meeting.Status.HELD
    meeting.held_at = now
    meeting.held_by = by
    fields = ["status", "held_at", "held_by"]
    if minutes.strip():
        meeting.minutes = minutes.strip()
        meeting.minutes_at = now
        fields += ["minutes", "minutes_at"]
    if decisions.strip():
        meeting.decisions = decisions.strip()
        fields.append("decisions")
    meeting.save(update_fields=fields)
    # Row by row, as check_in and study_matter do: stamped and in each row's history.
    if attended_seat_ids is not None:
        for invitation in meeting.invitations.filter(seat_id__in=list(attended_seat_ids), checked_in=False):
            invitation.checked_in, invitation.checked_in_at = True, now
            invitation.save(update_fields=["checked_in", "checked_in_at"])
    on_agenda = Matter.objects.filter(agenda_items__meeting=meeting).values("pk")
    proposed = Matter.objects.select_for_update().filter(pk__in=on_agenda, status=Matter.Status.PROPOSED)
    for matter in proposed.order_by("pk"):
        matter.status, matter.studied_at, matter.studied_by = Matter.Status.UNDER_STUDY, now, by
        matter.save(update_fields=["status", "studied_at", "studied_by"])
    return meeting


@transaction.atomic
def record_minutes(*, by, meeting: Meeting, minutes: str, decisions: str = "") -> Meeting:
    """The minutes (and decisions) of a held meeting."""
    meeting = _locked_meeting(meeting)
    _require_manager(by, meeting.committee)
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError("只有已召开的会议才能录入纪要。")
    if not (minutes or "").strip():
        raise ValidationError({"minutes": "请填写会议纪要。"})
    meeting.minutes = minutes.strip()
    meeting.minutes_at = timezone.now()
    fields = ["minutes", "minutes_at"]
    if decisions.strip():
        meeting.decisions = decisions.strip()
        fields.append("decisions")
    meeting.save(update_fields=fields)
    return meeting


@transaction.atomic
def cancel_meeting(*, by, meeting: Meeting, reason: str) -> Meeting:
    """scheduled → cancelled, with the reason."""
    meeting = _locked_meeting(meeting)
    _require_manager(by, meeting.committee)
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError(f"会议“{meeting.title}”{meeting.get_status_display()},不能取消。")
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写取消原因。"})
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancel_reason = reason.strip()
    meeting.cancelled_at = timezone.now()
    meeting.cancelled_by = by
    meeting.save(update_fields=["status", "cancel_reason", "cancelled_at", "cancelled_by"])
    return meeting


@transaction.atomic
def answer_invitation(*, by, invitation: Invitation, answer: str) -> Invitation:
    """The invitee answers attend / decline while the meeting is still ahead."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("seat", "meeting__committee__grid_node")
        .get(pk=invitation.pk)
    )
    if not can_answer(by, invitation):
        raise PermissionDenied("只能答复本单位或本人的参会邀请。")
    if answer not in (Invitation.Answer.ATTEND, Invitation.Answer.DECLINE):
        raise ValidationError({"answer": "请选择参加或不参加。"})
    meeting = invitation.meeting
    if meeting.status != Meeting.Status.SCHEDULED or meeting.starts_at <= timezone.now():
        raise ValidationError("会议已开始、已召开或已取消,不能再答复。")
    invitation.answer = answer
    invitation.answered_at = timezone.now()
    invitation.answered_by = by
    invitation.save(update_fields=["answer", "answered_at", "answered_by"])
    return invitation


@transaction.atomic
def check_in(*, by, invitation: Invitation) -> Invitation:
    """Attendance at the meeting, recorded by its managers."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("meeting__committee__grid_node")
        .get(pk=invitation.pk)
    )
    _require_manager(by, invitation.meeting.committee)
    if invitation.meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError("会议已取消,不能签到。")
    if not invitation.checked_in:
        invitation.checked_in = True
        invitation.checked_in_at = timezone.now()
        invitation.save(update_fields=["checked_in", "checked_in_at"])
    return invitation


# --- rotation ----------------------------------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


@transaction.atomic
def generate_rotation(*, by, committee: Committee, starts_on: datetime.date, months: int) -> list[ChairRotation]:
    """One period of ``months`` for each unit holding a seat, in seat order, from ``starts_on``.

    Periods already planned from ``starts_on`` on are replaced; earlier ones are history and stay.
    """
    _require_manager(by, committee)
    if not isinstance(months, int) or months < 1:
        raise ValidationError({"months": "轮值周期至少 1 个月。"})
    Committee.objects.select_for_update().get(pk=committee.pk)  # one generation at a time per committee
    unit_ids = []
    for unit_id in (
        current_seats(committee, starts_on)
        .exclude(unit=None)
        .order_by("role", "sort_order", "id")
        .values_list("unit_id", flat=True)
    ):
        if unit_id not in unit_ids:
            unit_ids.append(unit_id)
    if not unit_ids:
        raise ValidationError("该委员会还没有带单位的委员,无法生成轮值。")
    ChairRotation.objects.filter(committee=committee, starts_on__gte=starts_on).delete()
    rotations = []
    start = starts_on
    for unit_id in unit_ids:
        end = add_months(start, months) - datetime.timedelta(days=1)
        rotations.append(ChairRotation(committee=committee, unit_id=unit_id, starts_on=start, ends_on=end))
        start = end + datetime.timedelta(days=1)
    created = ChairRotation.objects.bulk_create(rotations)
    cache.changed("committee")  # bulk_create sends no signal: the cached committee pages learn it here
    return created


# --- reminders (called by the Celery tasks) ----------------------------------------------------


def _meeting_url(meeting: Meeting) -> str:
    return reverse("alliance:meeting", args=[meeting.pk])


def _remind_invitees(meeting: Meeting, step: str, title: str, body: str) -> int:
    """One notification per seat with an account (and per operator of an invited unit) for this step."""
    sent = 0
    url = _meeting_url(meeting)
    for invitation in meeting.invitations.select_related("seat__user", "unit"):
        if invitation.seat is not None:
            if invitation.seat.user is None:
                continue  # a seat without an account hears about it from the office
            key = f"meeting:{meeting.pk}:{step}:seat:{invitation.seat_id}"
            sent += bool(notify(recipient=invitation.seat.user, key=key, title=title, body=body, url=url))
        elif invitation.unit is not None:
            for operator in invitation.unit.operators.filter(is_active=True):
                key = f"meeting:{meeting.pk}:{step}:unit:{invitation.unit_id}"
                sent += bool(notify(recipient=operator, key=key, title=title, body=body, url=url))
    return sent


def _when(meeting: Meeting) -> str:
    return f"{timezone.localtime(meeting.starts_at):%Y年%m月%d日 %H:%M}"


def remind_meeting_day_before(*, meeting_id: int) -> int:
    """The day-before reminder of one meeting: once per seat, however often it runs."""
    meeting = Meeting.objects.select_related("committee").get(pk=meeting_id)
    if meeting.status != Meeting.Status.SCHEDULED:
        return 0
    day = timezone.localtime(meeting.starts_at).date()
    title = f"{'明天' if day > timezone.localdate() else '今天'}召开:{meeting.title}"
    body = f"{meeting.committee.name}定于{_when(meeting)}在{meeting.place}召开{meeting.get_kind_display()},请准时参加。"
    return _remind_invitees(meeting, "day-before", title, body)


def meetings_tomorrow(today: datetime.date | None = None):
    """Scheduled meetings of tomorrow, and those of today still ahead (scheduled after yesterday's run)."""
    if today is None:
        today, now = timezone.localdate(), timezone.now()
    else:
        now = datetime.datetime.combine(today, datetime.time.min, tzinfo=timezone.get_current_timezone())
    tomorrow = today + datetime.timedelta(days=1)
    return Meeting.objects.filter(status=Meeting.Status.SCHEDULED, starts_at__gt=now, starts_at__date__lte=tomorrow)


def remind_meetings_day_before(*, today: datetime.date | None = None) -> int:
    return sum(remind_meeting_day_before(meeting_id=pk) for pk in meetings_tomorrow(today).values_list("pk", flat=True))


def deliberation_date(year: int, month: int, day_of_month: int) -> datetime.date:
    return datetime.date(year, month, min(day_of_month, calendar.monthrange(year, month)[1]))


def run_deliberation_day(*, today: datetime.date | None = None) -> dict:
    """The month's deliberation-day meeting of every committee that holds one (one per month), and,
    on the day itself, a reminder to every seat."""
    today = today or timezone.localdate()
    config = CommitteeSettings.load()
    day = deliberation_date(today.year, today.month, config.deliberation_day)
    month = today.replace(day=1)
    created = reminded = 0
    if today > day:
        return {"created": 0, "reminded": 0}
    tz = timezone.get_current_timezone()
    starts_at = datetime.datetime.combine(day, config.meeting_time, tzinfo=tz)
    for committee in Committee.objects.filter(holds_monthly_deliberation=True):
        meeting = Meeting.objects.filter(committee=committee, deliberation_month=month).first()
        if meeting is None:
            try:
                with transaction.atomic():
                    meeting = schedule_meeting(
                        by=None,
                        committee=committee,
                        title=f"{committee.name}{day.month}月联席会议(议事日)",
                        starts_at=starts_at,
                        ends_at=starts_at + datetime.timedelta(hours=config.meeting_hours),
                        place=config.default_place,
                        summary=f"每月{config.deliberation_day}日议事日例会:通报工作,研究成员单位和社区提出的议题。",
                        deliberation_month=month,
                    )
                created += 1
            except IntegrityError:  # another run created it first
                meeting = Meeting.objects.get(committee=committee, deliberation_month=month)
        if today == day and meeting.status == Meeting.Status.SCHEDULED:
            with transaction.atomic():
                reminded += _remind_invitees(
                    meeting,
                    "deliberation-day",
                    f"今天是议事日:{meeting.title}",
                    f"{committee.name}今天{_when(meeting)[-5:]}在{meeting.place}召开议事日例会。",
                )
    return {"created": created, "reminded": reminded}


def remind_missing_minutes(*, today: datetime.date | None = None) -> int:
    """Held meetings still without minutes N and M days later: a reminder to the committee's secretary."""
    today = today or timezone.localdate()
    config = CommitteeSettings.load()
    steps = sorted({config.first_minutes_reminder_days, config.second_minutes_reminder_days})
    earliest = today - datetime.timedelta(days=steps[0])
    sent = 0
    meetings = Meeting.objects.filter(status=Meeting.Status.HELD, minutes="", held_at__date__lte=earliest)
    for meeting in meetings.select_related("committee"):
        days = (today - timezone.localtime(meeting.held_at).date()).days
        step = max(s for s in steps if s <= days)
        secretaries = Seat.objects.filter(
            committee=meeting.committee, role=Seat.Role.SECRETARY, user__isnull=False
        ).select_related("user")
        for seat in secretaries:
            with transaction.atomic():
                sent += bool(
                    notify(
                        recipient=seat.user,
                        key=f"meeting:{meeting.pk}:minutes-missing:{step}d",
                        title=f"请录入会议纪要:{meeting.title}",
                        body=f"会议已于{timezone.localtime(meeting.held_at):%m月%d日}召开,{days}天仍未录入纪要。",
                        url=_meeting_url(meeting),
                    )
                )
    return sent
