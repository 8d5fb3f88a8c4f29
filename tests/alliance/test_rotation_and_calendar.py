"""Rotating chairs generated from the seats' units, and the iCalendar feed."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from alliance.committee import actions, ical
from alliance.committee.models import ChairRotation
from tests.alliance.factories import MeetingFactory, SeatFactory
from tests.members.factories import MemberUnitFactory


def test_a_rotation_gives_each_seat_unit_one_period_in_seat_order(committee, street_admin):
    units = [MemberUnitFactory(name=n) for n in ("省交通运输厅", "省商务厅", "省税务局")]
    SeatFactory(committee=committee, role="part_time", unit=units[1], sort_order=2)
    SeatFactory(committee=committee, role="part_time", unit=units[0], sort_order=1)
    SeatFactory(committee=committee, role="part_time", unit=units[0], sort_order=3)  # same unit again
    SeatFactory(committee=committee, role="part_time", unit=units[2], sort_order=4)
    SeatFactory(committee=committee, role="full_time", unit=None)
    rotations = actions.generate_rotation(
        by=street_admin, committee=committee, starts_on=datetime.date(2026, 1, 1), months=4
    )
    assert [(r.unit.name, r.starts_on, r.ends_on) for r in rotations] == [
        ("省交通运输厅", datetime.date(2026, 1, 1), datetime.date(2026, 4, 30)),
        ("省商务厅", datetime.date(2026, 5, 1), datetime.date(2026, 8, 31)),
        ("省税务局", datetime.date(2026, 9, 1), datetime.date(2026, 12, 31)),
    ]
    # Generated again from July, the past periods stay and the future ones are replaced
    actions.generate_rotation(by=street_admin, committee=committee, starts_on=datetime.date(2026, 9, 1), months=6)
    assert ChairRotation.objects.filter(committee=committee).count() == 5


def test_a_rotation_needs_units_and_a_period(committee, street_admin, community_admin):
    with pytest.raises(ValidationError):
        actions.generate_rotation(by=street_admin, committee=committee, starts_on=datetime.date(2026, 1, 1), months=3)
    SeatFactory(committee=committee, unit=MemberUnitFactory())
    with pytest.raises(ValidationError):
        actions.generate_rotation(by=street_admin, committee=committee, starts_on=datetime.date(2026, 1, 1), months=0)
    with pytest.raises(PermissionDenied):
        actions.generate_rotation(
            by=community_admin, committee=committee, starts_on=datetime.date(2026, 1, 1), months=3
        )


def test_the_current_chair_shows_on_the_alliance_page(client, committee):
    unit = MemberUnitFactory(name="省商务厅")
    today = timezone.localdate()
    ChairRotation.objects.create(
        committee=committee,
        unit=unit,
        starts_on=today - datetime.timedelta(days=5),
        ends_on=today + datetime.timedelta(days=5),
    )
    page = client.get(reverse("alliance:index")).content.decode()
    assert "轮值主任单位" in page and "省商务厅" in page


def test_text_is_escaped_and_long_lines_are_folded_within_75_octets(committee):
    title = "舜玉路街道大工委联席会议" * 6
    meeting = MeetingFactory(committee=committee, title=title, place="a,b;c\\d\ne")
    text = ical.calendar_text([meeting], name="联席会议")
    assert "LOCATION:a\\,b\\;c\\\\d\\ne\r\n" in text  # RFC 5545 TEXT escaping
    lines = text.split("\r\n")[:-1]
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    summary = next(i for i, line in enumerate(lines) if line.startswith("SUMMARY:"))
    assert lines[summary + 1].startswith(" ")  # folded: continuation lines start with a space
    unfolded = text.replace("\r\n ", "")
    assert "SUMMARY:" + title + "\r\n" in unfolded
    (event,) = Calendar.from_ical(text).walk("VEVENT")
    assert (str(event["SUMMARY"]), str(event["LOCATION"])) == (title, "a,b;c\\d\ne")


def test_the_feed_lists_meetings_with_stable_uids_and_public_summary_only(client, committee):
    meeting = MeetingFactory(
        committee=committee,
        title="三月联席会议, 议事日",
        summary="研究停车难;加装电梯",
        minutes="内部纪要:不公开",
        starts_at=datetime.datetime(2026, 3, 25, 9, 0, tzinfo=timezone.get_current_timezone()),
    )
    MeetingFactory(committee__grid_node=committee.grid_node, title="其他委员会的会")
    body = client.get(reverse("alliance:committee_calendar", args=[committee.pk]))
    assert body["Content-Type"].startswith("text/calendar")
    text = body.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    unfolded = text.replace("\r\n ", "")
    assert f"UID:meeting-{meeting.pk}@red-alliance.portal" in unfolded
    assert "DTSTART:20260325T010000Z" in unfolded
    assert "SUMMARY:三月联席会议\\, 议事日" in unfolded
    assert "DESCRIPTION:研究停车难\\;加装电梯" in unfolded
    assert "内部纪要" not in unfolded and "其他委员会的会" not in unfolded
    everything = client.get(reverse("alliance:calendar")).content.decode().replace("\r\n ", "")
    assert "其他委员会的会" in everything and everything.count("BEGIN:VEVENT") == 2
