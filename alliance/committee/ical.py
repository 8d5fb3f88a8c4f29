"""An iCalendar (RFC 5545) feed of meetings, public summary only, written by the ``icalendar`` library
(its TEXT escaping, its folding of lines at 75 octets, its CRLF line ends)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from alliance.committee.models import Meeting

PRODID = "-//Red Alliance//Joint Committee Meetings//ZH"
UID_DOMAIN = "red-alliance.portal"

STATUS = {
    Meeting.Status.SCHEDULED: "CONFIRMED",
    Meeting.Status.HELD: "CONFIRMED",
    Meeting.Status.CANCELLED: "CANCELLED",
}


def _utc(value: datetime.datetime) -> datetime.datetime:
    # UTC times are written as ``…Z`` and need no VTIMEZONE block.
    return value.astimezone(datetime.UTC)


def meeting_event(meeting: Meeting, stamp: datetime.datetime, base_url: str = "") -> Event:
    """One VEVENT: the title, time, place and public summary of a meeting (never its minutes)."""
    description = meeting.summary or ""
    if meeting.status == Meeting.Status.CANCELLED:
        description = (_("（已取消） ") + description).strip()
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@{UID_DOMAIN}")
    event.add("dtstamp", _utc(stamp))
    event.add("dtstart", _utc(meeting.starts_at))
    event.add("dtend", _utc(meeting.ends_at))
    event.add("summary", meeting.title)
    event.add("location", meeting.place)
    event.add("description", description)
    event.add("categories", [meeting.committee.name])
    event.add("status", STATUS[meeting.status])
    if base_url:
        event.add("url", base_url)
    return event


def calendar_text(meetings, *, name: str, url_for=None) -> str:
    """The VCALENDAR text of ``meetings`` (iterable of Meeting with ``committee`` loaded)."""
    stamp = timezone.now()
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, stamp, url_for(meeting) if url_for else ""))
    return calendar.to_ical().decode("utf-8")
