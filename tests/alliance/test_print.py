"""Printable pages of a meeting's minutes and of a matter with its follow-up: staff only, scoped, fixed queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from alliance.committee.models import Invitation, Matter, Meeting, Milestone
from tests.alliance.factories import CommitteeFactory, MatterFactory, MeetingFactory, SeatFactory
from tests.grids.factories import StreetFactory
from tests.members.factories import MemberUnitFactory, UserFactory

DAY = datetime.timedelta(days=1)


def held_meeting(committee, n: int) -> Meeting:
    meeting = MeetingFactory(
        committee=committee,
        title="三季度联席会议",
        status=Meeting.Status.HELD,
        minutes="会议通报了加装电梯进展。\n与会单位表态支持。",
        decisions="成立专班推进。",
    )
    for i in range(n):
        matter = MatterFactory(committee=committee, title=f"议题{i}")
        meeting.agenda.create(matter=matter, position=i, note="请街道城管科介绍")
        seat = SeatFactory(committee=committee, person_name=f"委员{i}", unit=MemberUnitFactory())
        Invitation.objects.create(meeting=meeting, seat=seat, checked_in=i % 2 == 0, answer="attend")
    return meeting


def followed_matter(committee, n: int) -> Matter:
    matter = MatterFactory(
        committee=committee,
        title="老旧小区加装电梯",
        status=Matter.Status.RESOLVED,
        resolved_at=timezone.now(),
        resolution="分两批实施。",
        progress=40,
    )
    today = timezone.localdate()
    for i in range(n):
        owner = UserFactory(display_name=f"负责人{i}")
        Milestone.objects.create(matter=matter, title=f"节点{i}", due_on=today - 3 * DAY, owner=owner)
    meeting = MeetingFactory(committee=committee, title="专题会议")
    meeting.agenda.create(matter=matter)
    return matter


def test_a_meetings_minutes_print_with_agenda_and_attendance(client, committee, street_admin):
    meeting = held_meeting(committee, 3)
    client.force_login(street_admin)
    page = client.get(reverse("alliance_ws:meeting_print", args=[meeting.pk])).content.decode()
    assert "会议纪要" in page and "三季度联席会议" in page
    assert "议题0" in page and "议题2" in page and "请街道城管科介绍" in page
    assert "委员1" in page and "应到 3，实到 2。" in page
    assert "与会单位表态支持" in page and "成立专班推进" in page
    assert 'href="/static/css/print.css"' in page or "print" in page and ".css" in page
    assert "<script>" not in page  # no inline script: the 打印 button is wired by static js/print.js
    assert "data-print" in page and "js/print" in page


def test_a_matter_prints_with_its_milestones_owners_and_lateness(client, committee, street_admin):
    matter = followed_matter(committee, 2)
    client.force_login(street_admin)
    page = client.get(reverse("alliance_ws:matter_print", args=[matter.pk])).content.decode()
    assert "老旧小区加装电梯" in page and "分两批实施" in page and "40%" in page
    assert "节点1" in page and "负责人1" in page and "已逾期 3 天" in page
    assert "专题会议" in page


def test_print_pages_are_for_staff_in_scope(client, committee, community_admin, resident):
    meeting = held_meeting(committee, 1)
    matter = followed_matter(committee, 1)
    elsewhere = held_meeting(CommitteeFactory(grid_node=StreetFactory()), 1)
    urls = [
        reverse("alliance_ws:meeting_print", args=[meeting.pk]),
        reverse("alliance_ws:matter_print", args=[matter.pk]),
    ]
    # signed out: the login page
    assert client.get(urls[0]).status_code == 302
    # a resident: refused
    client.force_login(resident)
    assert client.get(urls[0]).status_code == 403
    # a community admin does not see the street committee's records (above their subtree), nor another street's
    client.force_login(community_admin)
    for url in [*urls, reverse("alliance_ws:meeting_print", args=[elsewhere.pk])]:
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("n", [2, 10])
def test_print_pages_run_a_fixed_number_of_queries(client, committee, street_admin, django_assert_num_queries, n):
    meeting = held_meeting(committee, n)
    matter = followed_matter(committee, n)
    client.force_login(street_admin)
    # the session; the user; their grid node (the scope) — then the page's own
    with django_assert_num_queries(3 + 3):  # the meeting with its committee; its agenda; its invitations
        assert client.get(reverse("alliance_ws:meeting_print", args=[meeting.pk])).status_code == 200
    with django_assert_num_queries(3 + 3):  # the matter with committee and unit; its milestones; its meetings
        assert client.get(reverse("alliance_ws:matter_print", args=[matter.pk])).status_code == 200


def test_the_admin_change_pages_link_to_print(client, committee, street_admin):
    meeting = held_meeting(committee, 1)
    matter = followed_matter(committee, 1)
    client.force_login(street_admin)
    page = client.get(reverse("admin:alliance_meeting_change", args=[meeting.pk])).content.decode()
    assert reverse("alliance_ws:meeting_print", args=[meeting.pk]) in page and "打印" in page
    page = client.get(reverse("admin:alliance_matter_change", args=[matter.pk])).content.decode()
    assert reverse("alliance_ws:matter_print", args=[matter.pk]) in page
    # a change page of an id that is no number answers the admin's own way, never a 500
    assert client.get("/admin/alliance/meeting/abc/change/").status_code in (302, 404)
