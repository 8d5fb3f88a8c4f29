"""The committees, meetings and matters API: public reads, scoped transitions, fixed query counts."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from alliance.committee.models import ChairRotation, Invitation, Matter, Meeting
from tests.alliance.factories import CommitteeFactory, MatterFactory, MeetingFactory, SeatFactory
from tests.members.factories import MemberUnitFactory


@pytest.fixture
def api():
    return APIClient()


def as_user(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("n", [2, 15])
def test_lists_run_a_fixed_number_of_queries(api, committee, django_assert_num_queries, n):
    for _ in range(n):
        unit = MemberUnitFactory()
        SeatFactory(committee=committee, unit=unit)
        CommitteeFactory(grid_node=committee.grid_node, kind="professional", parent=committee)
        MeetingFactory(committee=committee)
        matter = MatterFactory(committee=committee, status="resolved", resolved_at=timezone.now())
        matter.milestones.create(title="节点")
    today = timezone.localdate()
    ChairRotation.objects.create(committee=committee, unit=unit, starts_on=today, ends_on=today)
    # count; committees with grid nodes; current seats with units; current rotations with units
    with django_assert_num_queries(4):
        assert api.get("/api/v1/committees/").status_code == 200
    # count; meetings with committees
    with django_assert_num_queries(2):
        assert api.get("/api/v1/meetings/").status_code == 200
    # count; matters with committees and units; milestones
    with django_assert_num_queries(3):
        assert api.get("/api/v1/matters/").status_code == 200


def test_committees_show_members_and_the_current_chair(api, committee, unit):
    SeatFactory(committee=committee, role="full_time")
    SeatFactory(committee=committee, role="part_time", unit=unit)
    today = timezone.localdate()
    ChairRotation.objects.create(committee=committee, unit=unit, starts_on=today, ends_on=today)
    row = api.get("/api/v1/committees/", {"kind": "street_joint"}).json()["results"][0]
    assert (row["full_time_count"], row["part_time_count"]) == (1, 1)
    assert row["current_chair"]["unit_name"] == unit.name
    assert row["kind"] == "street_joint" and row["kind_label"] == "街道大工委"


def test_anyone_reads_meetings_but_only_managers_see_minutes(api, committee, street_admin, unit_operator):
    meeting = MeetingFactory(committee=committee, minutes="内部纪要")
    assert api.get(f"/api/v1/meetings/{meeting.pk}/").json()["private"] is None
    assert as_user(unit_operator).get(f"/api/v1/meetings/{meeting.pk}/").json()["private"] is None
    assert as_user(street_admin).get(f"/api/v1/meetings/{meeting.pk}/").json()["private"]["minutes"] == "内部纪要"


def test_meetings_filter_by_committee_status_and_dates(api, committee, community_committee):
    MeetingFactory(committee=committee, starts_at=datetime.datetime(2026, 3, 25, 9, tzinfo=datetime.UTC))
    MeetingFactory(committee=community_committee, status="cancelled")
    assert api.get("/api/v1/meetings/", {"committee": committee.pk}).json()["count"] == 1
    assert api.get("/api/v1/meetings/", {"status": "cancelled"}).json()["count"] == 1
    assert (
        api.get("/api/v1/meetings/", {"starts_after": "2026-03-01", "starts_before": "2026-03-31"}).json()["count"] == 1
    )


def test_a_street_admin_runs_the_meeting_lifecycle_through_the_api(committee, street_admin):
    client = as_user(street_admin)
    seat = SeatFactory(committee=committee)
    start = timezone.now() + datetime.timedelta(days=2)
    created = client.post(
        "/api/v1/meetings/",
        {"committee": committee.pk, "title": "四月联席会议", "starts_at": start.isoformat(), "place": "三楼会议室"},
    )
    assert created.status_code == 201, created.json()
    meeting = Meeting.objects.get(pk=created.json()["id"])
    assert meeting.invitations.get().seat == seat
    matter = MatterFactory(committee=committee)
    assert client.post(f"/api/v1/meetings/{meeting.pk}/agenda/", {"matter": matter.pk}).status_code == 200
    early = client.post(f"/api/v1/meetings/{meeting.pk}/hold/", {}, format="json")
    assert early.status_code == 400 and "尚未开始" in str(early.json())
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=1))
    held = client.post(f"/api/v1/meetings/{meeting.pk}/hold/", {"attended_seats": [seat.pk]}, format="json")
    assert held.status_code == 200 and held.json()["status"] == "held"
    assert held.json()["private"]["invitations"][0]["checked_in"] is True
    assert client.post(f"/api/v1/meetings/{meeting.pk}/minutes/", {"minutes": "纪要全文"}).status_code == 200
    again = client.post(f"/api/v1/meetings/{meeting.pk}/cancel/", {"reason": "x"})
    assert again.status_code == 400
    matter.refresh_from_db()
    assert matter.status == "under_study"


def test_a_community_admin_cannot_change_the_street_committee(committee, community_admin):
    client = as_user(community_admin)
    meeting = MeetingFactory(committee=committee)
    matter = MatterFactory(committee=committee)
    # Out of its subtree: the records answer as missing
    assert client.post(f"/api/v1/meetings/{meeting.pk}/cancel/", {"reason": "x"}).status_code == 404
    assert client.post(f"/api/v1/matters/{matter.pk}/study/").status_code == 404
    assert (
        client.post(f"/api/v1/committees/{committee.pk}/rotate/", {"starts_on": "2026-01-01", "months": 3}).status_code
        == 404
    )
    start = (timezone.now() + datetime.timedelta(days=1)).isoformat()
    created = client.post("/api/v1/meetings/", {"committee": committee.pk, "title": "越权", "starts_at": start})
    assert created.status_code == 403
    meeting.refresh_from_db()
    matter.refresh_from_db()
    assert (meeting.status, matter.status, Meeting.objects.count()) == ("scheduled", "proposed", 1)


def test_a_unit_operator_answers_only_for_its_own_unit(committee, unit, unit_operator, other_unit):
    meeting = MeetingFactory(committee=committee)
    mine = Invitation.objects.create(meeting=meeting, unit=unit)
    theirs = Invitation.objects.create(meeting=meeting, unit=other_unit)
    client = as_user(unit_operator)
    answered = client.post(f"/api/v1/meetings/{meeting.pk}/answer/", {"answer": "attend"})
    assert answered.json() == {"invitation": mine.pk, "answer": "attend"}
    refused = client.post(f"/api/v1/meetings/{meeting.pk}/answer/", {"answer": "attend", "invitation": theirs.pk})
    assert refused.status_code == 403
    theirs.refresh_from_db()
    assert theirs.answer == "pending"
    other_meeting = MeetingFactory(committee=committee)
    assert client.post(f"/api/v1/meetings/{other_meeting.pk}/answer/", {"answer": "attend"}).status_code == 403


def test_matter_transitions_through_the_api(committee, street_admin):
    client = as_user(street_admin)
    matter = MatterFactory(committee=committee)
    assert client.post(f"/api/v1/matters/{matter.pk}/resolve/", {"resolution": "同意"}).status_code == 400
    assert client.post(f"/api/v1/matters/{matter.pk}/study/").json()["status"] == "under_study"
    assert client.post(f"/api/v1/matters/{matter.pk}/resolve/", {"resolution": ""}).status_code == 400
    resolved = client.post(f"/api/v1/matters/{matter.pk}/resolve/", {"resolution": "由省商务厅牵头落实"})
    assert resolved.json()["status"] == "resolved" and resolved.json()["follow_up_open"] is True
    follow = client.post(
        f"/api/v1/matters/{matter.pk}/follow-up/",
        {
            "progress": 50,
            "milestone": "完成设计",
            "milestone_due_on": str(timezone.localdate() + datetime.timedelta(days=30)),
        },
    )
    assert follow.json()["progress"] == 50 and follow.json()["milestones"][0]["title"] == "完成设计"
    assert client.post(f"/api/v1/matters/{matter.pk}/follow-up/", {"progress": 120}).status_code == 400
    assert client.post(f"/api/v1/matters/{matter.pk}/defer/", {"reason": "再议"}).status_code == 400


def test_proposed_matters_are_seen_by_managers_and_the_raising_unit_only(
    api, committee, unit, unit_operator, street_admin
):
    MatterFactory(committee=committee, raised_by_unit=unit)
    MatterFactory(committee=committee)
    MatterFactory(committee=committee, status="resolved")
    assert api.get("/api/v1/matters/").json()["count"] == 1
    assert as_user(unit_operator).get("/api/v1/matters/").json()["count"] == 2
    assert as_user(street_admin).get("/api/v1/matters/").json()["count"] == 3


def test_a_unit_operator_raises_a_matter_and_a_resident_cannot(committee, unit_operator, resident, unit):
    created = as_user(unit_operator).post("/api/v1/matters/", {"committee": committee.pk, "title": "共建停车场"})
    assert created.status_code == 201 and created.json()["raised_by_unit"] == unit.pk
    assert as_user(resident).post("/api/v1/matters/", {"committee": committee.pk, "title": "x"}).status_code == 403
    assert APIClient().post("/api/v1/matters/", {"committee": committee.pk, "title": "x"}).status_code in (401, 403)
    assert Matter.objects.count() == 1


def test_a_rotation_is_generated_through_the_api(committee, street_admin):
    SeatFactory(committee=committee, unit=MemberUnitFactory(name="省交通运输厅"))
    SeatFactory(committee=committee, unit=MemberUnitFactory(name="省税务局"))
    response = as_user(street_admin).post(
        f"/api/v1/committees/{committee.pk}/rotate/", {"starts_on": "2026-01-01", "months": 6}
    )
    assert response.status_code == 201
    assert [(r["unit_name"], r["ends_on"]) for r in response.json()] == [
        ("省交通运输厅", "2026-06-30"),
        ("省税务局", "2026-12-31"),
    ]


def test_the_schema_documents_the_transitions(api, db):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    for path in (
        "/api/v1/committees/{id}/rotate/",
        "/api/v1/meetings/{id}/hold/",
        "/api/v1/meetings/{id}/answer/",
        "/api/v1/matters/{id}/resolve/",
        "/api/v1/matters/{id}/hand-on/",
    ):
        assert path in schema["paths"], path
