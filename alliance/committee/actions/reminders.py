"""Reminders and the monthly deliberation day, called by the Celery tasks (alliance.committee.tasks).

They notify directly: each notification's unique key makes a second run or a retry send nothing."""

import calendar
import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alliance.committee.actions.meetings import schedule_meeting
from alliance.committee.models import Committee, CommitteeSettings, Meeting, Seat
from alliance.core.notifications import notify


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
    return date_format(timezone.localtime(meeting.starts_at), _("Y年m月d日 H:i"))


def remind_meeting_day_before(*, meeting_id: int) -> int:
    """The day-before reminder of one meeting: once per seat, however often it runs."""
    meeting = Meeting.objects.select_related("committee").get(pk=meeting_id)
    if meeting.status != Meeting.Status.SCHEDULED:
        return 0
    day = timezone.localtime(meeting.starts_at).date()
    if day > timezone.localdate():
        title = _("明天召开：%(title)s") % {"title": meeting.title}
    else:
        title = _("今天召开：%(title)s") % {"title": meeting.title}
    body = _("%(committee)s定于%(when)s在%(place)s召开%(kind)s，请准时参加。") % {
        "committee": meeting.committee.name,
        "when": _when(meeting),
        "place": meeting.place,
        "kind": meeting.get_kind_display(),
    }
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
                        title=_("%(committee)s%(month)s月联席会议（议事日）")
                        % {"committee": committee.name, "month": day.month},
                        starts_at=starts_at,
                        ends_at=starts_at + datetime.timedelta(hours=config.meeting_hours),
                        place=config.default_place,
                        summary=_("每月%(day)s日议事日例会：通报工作，研究成员单位和社区提出的议题。")
                        % {"day": config.deliberation_day},
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
                    _("今天是议事日：%(title)s") % {"title": meeting.title},
                    _("%(committee)s今天%(time)s在%(place)s召开议事日例会。")
                    % {
                        "committee": committee.name,
                        "time": f"{timezone.localtime(meeting.starts_at):%H:%M}",
                        "place": meeting.place,
                    },
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
                        title=_("请录入会议纪要：%(title)s") % {"title": meeting.title},
                        body=ngettext(
                            "会议已于%(held)s召开，%(days)s天仍未录入纪要。",
                            "会议已于%(held)s召开，%(days)s天仍未录入纪要。",
                            days,
                        )
                        % {"held": date_format(timezone.localtime(meeting.held_at), _("m月d日")), "days": days},
                        url=_meeting_url(meeting),
                    )
                )
    return sent
