"""Public pages and the unit workspace, each in a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from alliance.committee.models import ChairRotation, Invitation, Matter, Meeting, Milestone
from tests.alliance.factories import CommitteeFactory, MatterFactory, MeetingFactory, SeatFactory
from tests.members.factories import MemberUnitFactory

NOW = timezone.now


def populate(committee, n):
    """n seats with units, n meetings, n resolved matters with two milestones each, n professional committees."""
    for i in range(n):
        unit = MemberUnitFactory()
        SeatFactory(committee=committee, unit=unit, role="part_time" if i % 2 else "full_time")
        meeting = MeetingFactory(committee=committee)
        Invitation.objects.create(meeting=meeting, unit=unit)
        matter = MatterFactory(committee=committee, status=Matter.Status.RESOLVED, resolved_at=NOW(), progress=30)
        Milestone.objects.create(matter=matter, title="选址")
        Milestone.objects.create(matter=matter, title="施工")
        CommitteeFactory(grid_node=committee.grid_node, parent=committee, kind="professional", field="health")
    today = timezone.localdate()
    ChairRotation.objects.get_or_create(
        committee=committee,
        starts_on=today - datetime.timedelta(days=1),
        defaults={"unit": unit, "ends_on": today + datetime.timedelta(days=30)},
    )


@pytest.mark.parametrize("n", [2, 12])
def test_public_pages_run_a_fixed_number_of_queries(client, committee, django_assert_num_queries, n):
    populate(committee, n)
    meeting = committee.meetings.first()
    matter = committee.matters.first()
    for other in committee.meetings.all():
        other.agenda.create(matter=matter)
    pages = [
        # the matter with committee and unit; its milestones; the meetings that studied it
        (reverse("alliance:matter", args=[matter.pk]), 3),
        # committees; their current seats with units; their current rotations with units
        (reverse("alliance:index"), 3),
        # the committee filter's choices; the count; the page of meetings with committees
        (reverse("alliance:meetings"), 3),
        # the count; the page of resolved matters; their milestones
        (reverse("alliance:matters"), 3),
        # the meeting with its committee; its agenda with matters; the chair on its day
        (reverse("alliance:meeting", args=[meeting.pk]), 3),
        # committee; seats; rotation; all rotations; child committees; recent meetings;
        # the follow-up's on-time and late counts; the late milestones with matters and owners
        (reverse("alliance:committee", args=[committee.pk]), 8),
        # the meetings with committees
        (reverse("alliance:calendar"), 1),
    ]
    for url, queries in pages:
        with django_assert_num_queries(queries):
            response = client.get(url)
        assert response.status_code == 200, url


def test_the_alliance_page_shows_full_time_and_part_time_members(client, committee, unit):
    SeatFactory(committee=committee, person_name="张主任", role="secretary")
    SeatFactory(committee=committee, person_name="刘专职", role="full_time")
    SeatFactory(committee=committee, person_name="孙兼职", role="part_time", unit=unit)
    SeatFactory(committee=committee, person_name="卸任者", role="part_time", term_end=datetime.date(2025, 6, 1))
    CommitteeFactory(grid_node=committee.grid_node, name="医疗卫生专业委员会", kind="professional", field="health")
    page = client.get(reverse("alliance:index")).content.decode()
    assert "专职委员 2 名" in page and "兼职委员 1 名" in page
    assert "孙兼职" in page and unit.name in page and "卸任者" not in page
    assert "医疗卫生专业委员会" in page


def test_the_matters_page_shows_open_follow_up_with_progress_until_done(client, committee):
    open_one = MatterFactory(committee=committee, title="加装电梯", status="resolved", resolved_at=NOW(), progress=60)
    Milestone.objects.create(matter=open_one, title="完成施工招标")
    MatterFactory(
        committee=committee, title="口袋公园", status="resolved", resolved_at=NOW(), progress=100, done_at=NOW()
    )
    MatterFactory(committee=committee, title="尚在研究", status="under_study")
    last_year = NOW().replace(year=NOW().year - 1)
    MatterFactory(committee=committee, title="去年的事", status="resolved", resolved_at=last_year)
    page = client.get(reverse("alliance:matters")).content.decode()
    assert "加装电梯" in page and "落实进度 60%" in page and "完成施工招标" in page
    assert "口袋公园" in page and "已落实" in page
    assert "尚在研究" not in page and "去年的事" not in page


def test_a_meeting_page_shows_the_public_summary_but_not_the_minutes(client, committee):
    meeting = MeetingFactory(committee=committee, summary="研究停车难", minutes="内部纪要", decisions="内部决定")
    page = client.get(reverse("alliance:meeting", args=[meeting.pk])).content.decode()
    assert "研究停车难" in page and "内部纪要" not in page and "内部决定" not in page


def test_a_proposed_matter_has_no_public_page(client, committee):
    assert client.get(reverse("alliance:matter", args=[MatterFactory(committee=committee).pk])).status_code == 404


# --- workspace -------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 10])
def test_the_workspace_lists_the_units_invitations_in_fixed_queries(
    client, committee, unit, unit_operator, django_assert_num_queries, n
):
    for _ in range(n):
        Invitation.objects.create(meeting=MeetingFactory(committee=committee), unit=unit)
        MatterFactory(committee=committee, raised_by_unit=unit)
    client.force_login(unit_operator)
    # session; user; invitations with meetings, committees, seats, units; the unit's matters with committees
    with django_assert_num_queries(4):
        page = client.get(reverse("alliance_ws:index"))
    # session; user; the unit with its grid node; the committees above it
    with django_assert_num_queries(4):
        assert client.get(reverse("alliance_ws:raise_matter")).status_code == 200
    assert page.content.decode().count('value="attend"') == n


def test_a_unit_operator_answers_its_invitation_from_the_workspace(client, committee, unit, unit_operator, other_unit):
    mine = Invitation.objects.create(meeting=MeetingFactory(committee=committee, title="我的会"), unit=unit)
    theirs = Invitation.objects.create(meeting=MeetingFactory(committee=committee, title="别人的会"), unit=other_unit)
    client.force_login(unit_operator)
    page = client.get(reverse("alliance_ws:index")).content.decode()
    assert "我的会" in page and "别人的会" not in page
    client.post(reverse("alliance_ws:answer", args=[mine.pk]), {"answer": "attend"})
    mine.refresh_from_db()
    assert mine.answer == "attend"
    assert client.post(reverse("alliance_ws:answer", args=[theirs.pk]), {"answer": "attend"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.answer == "pending"


def test_a_unit_operator_raises_a_matter_to_a_committee_above_its_unit(client, committee, unit_operator, unit):
    client.force_login(unit_operator)
    form = client.get(reverse("alliance_ws:raise_matter"))
    assert committee.name in form.content.decode()
    response = client.post(
        reverse("alliance_ws:raise_matter"),
        {"committee": committee.pk, "title": "共建社区食堂", "description": "老人多"},
    )
    assert response.status_code == 302
    matter = Matter.objects.get()
    assert (matter.title, matter.raised_by_unit, matter.status) == ("共建社区食堂", unit, "proposed")


def test_a_resident_cannot_raise_a_matter_from_the_workspace(client, resident):
    client.force_login(resident)
    assert client.get(reverse("alliance_ws:raise_matter")).status_code == 403


def test_a_held_meeting_shows_no_answer_buttons(client, committee, unit, unit_operator):
    Invitation.objects.create(
        meeting=MeetingFactory(committee=committee, status=Meeting.Status.HELD, starts_at=NOW()), unit=unit
    )
    client.force_login(unit_operator)
    assert 'value="attend"' not in client.get(reverse("alliance_ws:index")).content.decode()
