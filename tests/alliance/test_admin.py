"""The committee admin: scoping (a community admin cannot change the street committee) and the
transitions as admin actions."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alliance.committee.models import Matter, Meeting
from tests.alliance.factories import CommitteeFactory, MatterFactory, MeetingFactory, SeatFactory


def url(model, action="changelist", *args):
    return reverse(f"admin:alliance_{model}_{action}", args=args)


def test_a_community_admin_cannot_see_or_change_the_street_committee(
    client, committee, community_committee, community_admin
):
    client.force_login(community_admin)
    listing = client.get(url("committee")).content.decode()
    assert community_committee.name in listing and committee.name not in listing
    assert client.get(url("committee", "change", committee.pk)).status_code == 404
    response = client.post(url("committee", "change", committee.pk), {"name": "改名", "kind": "street_joint"})
    assert response.status_code == 404
    committee.refresh_from_db()
    assert committee.name == "舜玉路街道大工委"
    meeting = MeetingFactory(committee=committee)
    assert client.get(url("meeting", "change", meeting.pk)).status_code == 404
    assert client.get(url("matter", "change", MatterFactory(committee=committee).pk)).status_code == 404
    assert client.get(url("committee", "change", community_committee.pk)).status_code == 200


def test_the_street_admin_edits_committees_with_seat_and_rotation_inlines(client, committee, street_admin):
    SeatFactory(committee=committee, person_name="王专职")
    client.force_login(street_admin)
    page = client.get(url("committee", "change", committee.pk)).content.decode()
    assert "王专职" in page and "轮值主任单位" in page


def test_a_meeting_added_in_the_admin_invites_the_seats(client, committee, street_admin):
    seat = SeatFactory(committee=committee)
    client.force_login(street_admin)
    start = timezone.localtime() + datetime.timedelta(days=3)
    data = {
        "committee": committee.pk,
        "kind": "plenary",
        "title": "五月联席会议",
        "summary": "",
        "starts_at_0": start.strftime("%Y-%m-%d"),
        "starts_at_1": "09:00:00",
        "ends_at_0": start.strftime("%Y-%m-%d"),
        "ends_at_1": "11:00:00",
        "place": "三楼会议室",
        "minutes": "",
        "decisions": "",
        "agenda-TOTAL_FORMS": "0",
        "agenda-INITIAL_FORMS": "0",
        "invitations-TOTAL_FORMS": "0",
        "invitations-INITIAL_FORMS": "0",
    }
    response = client.post(url("meeting", "add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = Meeting.objects.get()
    assert meeting.created_by == street_admin
    assert meeting.invitations.get().seat == seat


def test_matter_transitions_as_admin_actions_report_refusals(client, committee, street_admin):
    proposed = MatterFactory(committee=committee)
    resolved = MatterFactory(committee=committee, status="resolved")
    client.force_login(street_admin)
    response = client.post(
        url("matter"), {"action": "study", "_selected_action": [proposed.pk, resolved.pk]}, follow=True
    )
    text = response.content.decode()
    assert "已转入研究 1 条" in text and "不能再转入研究" in text
    proposed.refresh_from_db()
    assert proposed.status == Matter.Status.UNDER_STUDY
    # resolving asks for the resolution; without one nothing happens
    response = client.post(url("matter"), {"action": "resolve", "_selected_action": [proposed.pk]}, follow=True)
    assert response.status_code == 200 and "议决结果" in response.content.decode()
    response = client.post(url("matter"), {"action": "resolve", "_selected_action": [proposed.pk], "apply": "1"})
    proposed.refresh_from_db()
    assert proposed.status == Matter.Status.UNDER_STUDY
    client.post(
        url("matter"), {"action": "resolve", "_selected_action": [proposed.pk], "apply": "1", "resolution": "同意实施"}
    )
    proposed.refresh_from_db()
    assert (proposed.status, proposed.resolution, proposed.resolved_by) == ("resolved", "同意实施", street_admin)


def test_cancelling_meetings_in_the_admin_asks_for_the_reason(client, committee, street_admin):
    meeting = MeetingFactory(committee=committee)
    client.force_login(street_admin)
    form = client.post(url("meeting"), {"action": "cancel", "_selected_action": [meeting.pk]})
    assert form.status_code == 200 and "取消原因" in form.content.decode()
    client.post(url("meeting"), {"action": "cancel", "_selected_action": [meeting.pk], "apply": "1", "reason": "台风"})
    meeting.refresh_from_db()
    assert (meeting.status, meeting.cancel_reason) == ("cancelled", "台风")


def test_admin_lists_run_the_same_queries_for_few_and_many_rows(client, committee, street_admin, unit):
    def add_rows(n):
        for _ in range(n):
            MeetingFactory(committee=committee)
            MatterFactory(committee=committee, raised_by_unit=unit)
            SeatFactory(committee=committee, unit=unit)
            CommitteeFactory(grid_node=committee.grid_node, kind="professional", parent=committee)

    client.force_login(street_admin)
    add_rows(2)
    few = {model: _count(client, url(model)) for model in ("committee", "meeting", "matter")}
    add_rows(10)
    many = {model: _count(client, url(model)) for model in ("committee", "meeting", "matter")}
    assert few == many


def _count(client, path):
    client.get(path)  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_a_meeting_ending_before_it_starts_is_a_form_error_not_a_crash(client, committee, street_admin):
    client.force_login(street_admin)
    data = {
        "committee": committee.pk,
        "kind": "plenary",
        "title": "时间有误的会议",
        "starts_at_0": "2026-05-25",
        "starts_at_1": "11:00:00",
        "ends_at_0": "2026-05-25",
        "ends_at_1": "09:00:00",
        "place": "三楼会议室",
        "agenda-TOTAL_FORMS": "0",
        "agenda-INITIAL_FORMS": "0",
        "invitations-TOTAL_FORMS": "0",
        "invitations-INITIAL_FORMS": "0",
    }
    response = client.post(url("meeting", "add"), data)
    assert response.status_code == 200 and "结束时间不能早于开始时间" in response.content.decode()
    assert not Meeting.objects.exists()


def test_seats_added_later_are_invited_by_an_admin_action_once(client, committee, street_admin):
    meeting = MeetingFactory(committee=committee)
    SeatFactory(committee=committee)
    SeatFactory(committee=committee)
    client.force_login(street_admin)
    for _ in range(2):
        client.post(url("meeting"), {"action": "invite_seats", "_selected_action": [meeting.pk]})
    assert meeting.invitations.count() == 2
