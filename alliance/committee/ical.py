"""An iCalendar (RFC 5545) feed of meetings: public summary only, written without a dependency."""

import datetime

from django.utils import timezone

from alliance.committee.models import Meeting

PRODID = "-//Red Alliance//Joint Committee Meetings//ZH"
UID_DOMAIN = "red-alliance.portal"
CRLF = "\r\n"


def escape_text(value: str) -> str:
    """TEXT escaping of RFC 5545 §3.3.11: backslash, semicolon, comma and line breaks."""
    value = (value or "").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str, limit: int = 75) -> str:
    """Lines longer than 75 octets folded with CRLF + space, never inside a UTF-8 character."""
    parts = []
    current = ""
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        # continuation lines start with a space, which counts towards their 75 octets
        if size + width > limit:
            parts.append(current)
            current, size = " ", 1
        current += char
        size += width
    parts.append(current)
    return CRLF.join(parts)


def _utc(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


STATUS = {
    Meeting.Status.SCHEDULED: "CONFIRMED",
    Meeting.Status.HELD: "CONFIRMED",
    Meeting.Status.CANCELLED: "CANCELLED",
}


def meeting_event(meeting: Meeting, stamp: datetime.datetime, base_url: str = "") -> list[str]:
    description = meeting.summary or ""
    if meeting.status == Meeting.Status.CANCELLED:
        description = ("(已取消) " + description).strip()
    lines = [
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.pk}@{UID_DOMAIN}",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART:{_utc(meeting.starts_at)}",
        f"DTEND:{_utc(meeting.ends_at)}",
        f"SUMMARY:{escape_text(meeting.title)}",
        f"LOCATION:{escape_text(meeting.place)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"CATEGORIES:{escape_text(meeting.committee.name)}",
        f"STATUS:{STATUS[meeting.status]}",
    ]
    if base_url:
        lines.append(f"URL:{base_url}")
    lines.append("END:VEVENT")
    return lines


def calendar_text(meetings, *, name: str, url_for=None) -> str:
    """The VCALENDAR text of ``meetings`` (iterable of Meeting with ``committee`` loaded)."""
    stamp = timezone.now()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        "X-WR-TIMEZONE:Asia/Shanghai",
    ]
    for meeting in meetings:
        lines.extend(meeting_event(meeting, stamp, url_for(meeting) if url_for else ""))
    lines.append("END:VCALENDAR")
    return CRLF.join(fold(line) for line in lines) + CRLF
