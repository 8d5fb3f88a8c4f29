"""Every allowed and refused transition of matters and meetings, checked on state and role."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from alliance.committee import actions
from alliance.committee.models import Invitation, Matter, Meeting
from tests.alliance.factories import MatterFactory, MeetingFactory, SeatFactory
from tests.members.factories import UnitOperatorFactory

S = Matter.Status


def matter_in(committee, status):
    return MatterFactory(committee=committee, status=status)


# --- matters ---------------------------------------------------------------------------------


@pytest.mark.parametrize("start", [S.PROPOSED, S.DEFERRED])
def test_a_proposed_or_deferred_matter_goes_under_study(committee, street_admin, start):
    matter = actions.study_matter(by=street_admin, matter=matter_in(committee, start))
    matter.refresh_from_db()
    assert matter.status == S.UNDER_STUDY
    assert matter.studied_by == street_admin and matter.studied_at is not None


def test_studying_a_matter_under_study_again_changes_nothing(committee, street_admin):
    matter = matter_in(committee, S.UNDER_STUDY)
    assert actions.study_matter(by=street_admin, matter=matter).status == S.UNDER_STUDY


def test_a_resolved_matter_cannot_go_back_under_study(committee, street_admin):
    with pytest.raises(ValidationError, match="已议决"):
        actions.study_matter(by=street_admin, matter=matter_in(committee, S.RESOLVED))


def test_a_matter_under_study_is_resolved_with_its_resolution(committee, street_admin):
    matter = actions.resolve_matter(
        by=street_admin, matter=matter_in(committee, S.UNDER_STUDY), resolution=" 由省商务厅牵头 "
    )
    matter.refresh_from_db()
    assert (matter.status, matter.resolution, matter.resolved_by) == (S.RESOLVED, "由省商务厅牵头", street_admin)
    assert matter.follow_up_open


@pytest.mark.parametrize("start", [S.PROPOSED, S.DEFERRED, S.RESOLVED])
def test_only_a_matter_under_study_can_be_resolved(committee, street_admin, start):
    matter = matter_in(committee, start)
    with pytest.raises(ValidationError, match="只有研究中的议题才能议决"):
        actions.resolve_matter(by=street_admin, matter=matter, resolution="同意")
    matter.refresh_from_db()
    assert matter.status == start


def test_a_resolution_is_required(committee, street_admin):
    with pytest.raises(ValidationError) as info:
        actions.resolve_matter(by=street_admin, matter=matter_in(committee, S.UNDER_STUDY), resolution="  ")
    assert "resolution" in info.value.message_dict


@pytest.mark.parametrize("start", [S.PROPOSED, S.UNDER_STUDY])
def test_a_proposed_or_studied_matter_is_deferred_with_a_reason(committee, street_admin, start):
    matter = actions.defer_matter(by=street_admin, matter=matter_in(committee, start), reason="资金未落实")
    matter.refresh_from_db()
    assert (matter.status, matter.defer_reason, matter.deferred_by) == (S.DEFERRED, "资金未落实", street_admin)


@pytest.mark.parametrize("start", [S.RESOLVED, S.DEFERRED])
def test_a_resolved_or_deferred_matter_cannot_be_deferred(committee, street_admin, start):
    with pytest.raises(ValidationError, match="不能暂缓"):
        actions.defer_matter(by=street_admin, matter=matter_in(committee, start), reason="再议")


def test_deferring_needs_a_reason(committee, street_admin):
    with pytest.raises(ValidationError):
        actions.defer_matter(by=street_admin, matter=matter_in(committee, S.PROPOSED), reason="")


def test_the_follow_up_of_a_resolved_matter_shows_until_it_is_done(committee, street_admin):
    matter = matter_in(committee, S.RESOLVED)
    actions.update_follow_up(by=street_admin, matter=matter, progress=40, note="已完成选址")
    actions.add_milestone(
        by=street_admin, matter=matter, title="完成施工招标", due_on=timezone.localdate() + datetime.timedelta(days=30)
    )
    matter.refresh_from_db()
    assert matter.progress == 40 and matter.follow_up_open
    assert [m.title for m in matter.milestones.all()] == ["完成施工招标"]
    actions.update_follow_up(by=street_admin, matter=matter, progress=100)
    matter.refresh_from_db()
    assert matter.done_at is not None and not matter.follow_up_open


@pytest.mark.parametrize("progress", [-1, 101, "abc"])
def test_follow_up_progress_must_be_0_to_100(committee, street_admin, progress):
    with pytest.raises(ValidationError):
        actions.update_follow_up(by=street_admin, matter=matter_in(committee, S.RESOLVED), progress=progress)


@pytest.mark.parametrize("start", [S.PROPOSED, S.UNDER_STUDY, S.DEFERRED])
def test_only_resolved_matters_have_a_follow_up(committee, street_admin, start):
    with pytest.raises(ValidationError):
        actions.update_follow_up(by=street_admin, matter=matter_in(committee, start), progress=10)
    with pytest.raises(ValidationError):
        actions.add_milestone(by=street_admin, matter=matter_in(committee, start), title="节点")


@pytest.mark.parametrize("who", ["community_admin", "unit_operator", "resident", "grid_worker"])
def test_only_managers_of_the_committee_move_its_matters(committee, who, request):
    user = request.getfixturevalue(who)
    matter = matter_in(committee, S.PROPOSED)
    for call in (
        lambda: actions.study_matter(by=user, matter=matter),
        lambda: actions.defer_matter(by=user, matter=matter, reason="x"),
    ):
        with pytest.raises(PermissionDenied):
            call()
    matter.refresh_from_db()
    assert matter.status == S.PROPOSED


def test_a_community_admin_moves_the_matters_of_its_own_community_committee(community_committee, community_admin):
    matter = matter_in(community_committee, S.PROPOSED)
    assert actions.study_matter(by=community_admin, matter=matter).status == S.UNDER_STUDY


def test_a_unit_operator_raises_a_matter_in_its_units_name(committee, unit_operator, unit):
    matter = actions.raise_matter(by=unit_operator, committee=committee, title="共建停车场")
    assert matter.raised_by_unit == unit and matter.status == S.PROPOSED


def test_a_resident_cannot_raise_a_matter(committee, resident):
    with pytest.raises(PermissionDenied):
        actions.raise_matter(by=resident, committee=committee, title="共建停车场")


# --- meetings --------------------------------------------------------------------------------


def past_meeting(committee, **kwargs):
    start = timezone.now() - datetime.timedelta(hours=3)
    return MeetingFactory(committee=committee, starts_at=start, **kwargs)


def test_scheduling_a_meeting_invites_every_current_seat(committee, street_admin, unit):
    SeatFactory(committee=committee, unit=unit)
    SeatFactory(committee=committee, role="part_time")
    SeatFactory(committee=committee, term_start=datetime.date(2020, 1, 1), term_end=datetime.date(2021, 1, 1))
    meeting = actions.schedule_meeting(
        by=street_admin,
        committee=committee,
        title="三季度联席会议",
        starts_at=timezone.now() + datetime.timedelta(days=5),
    )
    assert meeting.invitations.count() == 2
    assert meeting.invitations.filter(unit=unit).count() == 1


def test_a_meeting_must_end_after_it_starts(committee, street_admin):
    start = timezone.now() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        actions.schedule_meeting(
            by=street_admin,
            committee=committee,
            title="会",
            starts_at=start,
            ends_at=start - datetime.timedelta(hours=1),
        )


def test_holding_a_meeting_checks_in_attendance_and_puts_agenda_matters_under_study(committee, street_admin):
    present, absent = SeatFactory(committee=committee), SeatFactory(committee=committee)
    meeting = actions.schedule_meeting(
        by=street_admin, committee=committee, title="月度会", starts_at=timezone.now() + datetime.timedelta(days=1)
    )
    matter = matter_in(committee, S.PROPOSED)
    actions.put_on_agenda(by=street_admin, meeting=meeting, matter=matter)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=1))
    actions.hold_meeting(
        by=street_admin, meeting=meeting, minutes="会议纪要……", decisions="同意", attended_seat_ids=[present.pk]
    )
    meeting.refresh_from_db()
    matter.refresh_from_db()
    assert (meeting.status, meeting.held_by, meeting.minutes) == (Meeting.Status.HELD, street_admin, "会议纪要……")
    assert meeting.invitations.get(seat=present).checked_in
    assert not meeting.invitations.get(seat=absent).checked_in
    assert matter.status == S.UNDER_STUDY


def test_a_meeting_cannot_be_held_before_it_starts(committee, street_admin):
    with pytest.raises(ValidationError, match="尚未开始"):
        actions.hold_meeting(by=street_admin, meeting=MeetingFactory(committee=committee))


@pytest.mark.parametrize("status", [Meeting.Status.HELD, Meeting.Status.CANCELLED])
def test_a_held_or_cancelled_meeting_cannot_be_held_or_cancelled_again(committee, street_admin, status):
    meeting = past_meeting(committee, status=status)
    with pytest.raises(ValidationError):
        actions.hold_meeting(by=street_admin, meeting=meeting)
    with pytest.raises(ValidationError):
        actions.cancel_meeting(by=street_admin, meeting=meeting, reason="临时有事")


def test_a_scheduled_meeting_is_cancelled_with_a_reason(committee, street_admin):
    meeting = MeetingFactory(committee=committee)
    with pytest.raises(ValidationError):
        actions.cancel_meeting(by=street_admin, meeting=meeting, reason=" ")
    actions.cancel_meeting(by=street_admin, meeting=meeting, reason="与区委会议冲突")
    meeting.refresh_from_db()
    assert (meeting.status, meeting.cancel_reason, meeting.cancelled_by) == (
        Meeting.Status.CANCELLED,
        "与区委会议冲突",
        street_admin,
    )


def test_minutes_are_recorded_only_for_a_held_meeting(committee, street_admin):
    with pytest.raises(ValidationError):
        actions.record_minutes(by=street_admin, meeting=MeetingFactory(committee=committee), minutes="纪要")
    meeting = past_meeting(committee, status=Meeting.Status.HELD)
    actions.record_minutes(by=street_admin, meeting=meeting, minutes="纪要", decisions="议定三项")
    meeting.refresh_from_db()
    assert meeting.minutes == "纪要" and meeting.minutes_at is not None


def test_the_agenda_takes_only_open_matters_of_the_committee_on_a_scheduled_meeting(
    committee, street_admin, community_committee
):
    meeting = MeetingFactory(committee=committee)
    first = actions.put_on_agenda(by=street_admin, meeting=meeting, matter=matter_in(committee, S.PROPOSED))
    second = actions.put_on_agenda(by=street_admin, meeting=meeting, matter=matter_in(community_committee, S.PROPOSED))
    assert (first.position, second.position) == (1, 2)
    with pytest.raises(ValidationError):
        actions.put_on_agenda(by=street_admin, meeting=meeting, matter=matter_in(committee, S.RESOLVED))
    other = MeetingFactory(committee=community_committee)
    with pytest.raises(ValidationError, match="不属于本委员会"):
        actions.put_on_agenda(by=street_admin, meeting=other, matter=matter_in(committee, S.PROPOSED))
    held = past_meeting(committee, status=Meeting.Status.HELD)
    with pytest.raises(ValidationError):
        actions.put_on_agenda(by=street_admin, meeting=held, matter=matter_in(committee, S.PROPOSED))


@pytest.mark.parametrize("who", ["community_admin", "unit_operator", "resident"])
def test_only_managers_schedule_hold_and_cancel(committee, who, request):
    user = request.getfixturevalue(who)
    meeting = past_meeting(committee)
    with pytest.raises(PermissionDenied):
        actions.schedule_meeting(by=user, committee=committee, title="会", starts_at=timezone.now())
    with pytest.raises(PermissionDenied):
        actions.hold_meeting(by=user, meeting=meeting)
    with pytest.raises(PermissionDenied):
        actions.cancel_meeting(by=user, meeting=meeting, reason="x")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED


# --- invitations -----------------------------------------------------------------------------


def test_a_unit_operator_answers_its_own_units_invitation(committee, unit, unit_operator):
    meeting = MeetingFactory(committee=committee)
    invitation = Invitation.objects.create(meeting=meeting, seat=SeatFactory(committee=committee, unit=unit), unit=unit)
    actions.answer_invitation(by=unit_operator, invitation=invitation, answer="decline")
    invitation.refresh_from_db()
    assert (invitation.answer, invitation.answered_by) == ("decline", unit_operator)


def test_a_unit_operator_cannot_answer_for_another_unit(committee, other_unit, unit_operator):
    meeting = MeetingFactory(committee=committee)
    invitation = Invitation.objects.create(meeting=meeting, unit=other_unit)
    with pytest.raises(PermissionDenied):
        actions.answer_invitation(by=unit_operator, invitation=invitation, answer="attend")
    invitation.refresh_from_db()
    assert invitation.answer == "pending"


def test_a_seat_holder_answers_their_own_invitation(committee, seat_with_account):
    invitation = Invitation.objects.create(meeting=MeetingFactory(committee=committee), seat=seat_with_account)
    actions.answer_invitation(by=seat_with_account.user, invitation=invitation, answer="attend")
    invitation.refresh_from_db()
    assert invitation.answer == "attend"


def test_no_answer_after_the_meeting_started_or_was_cancelled(committee, unit, unit_operator):
    started = Invitation.objects.create(meeting=past_meeting(committee), unit=unit)
    cancelled = Invitation.objects.create(meeting=MeetingFactory(committee=committee, status="cancelled"), unit=unit)
    for invitation in (started, cancelled):
        with pytest.raises(ValidationError):
            actions.answer_invitation(by=unit_operator, invitation=invitation, answer="attend")


def test_an_answer_is_attend_or_decline(committee, unit, unit_operator):
    invitation = Invitation.objects.create(meeting=MeetingFactory(committee=committee), unit=unit)
    with pytest.raises(ValidationError):
        actions.answer_invitation(by=unit_operator, invitation=invitation, answer="maybe")


def test_an_operator_of_a_unit_is_not_an_operator_of_another(committee, unit, other_unit):
    operator = UnitOperatorFactory(unit=other_unit, grid_node=other_unit.grid_node)
    invitation = Invitation.objects.create(meeting=MeetingFactory(committee=committee), unit=unit)
    with pytest.raises(PermissionDenied):
        actions.answer_invitation(by=operator, invitation=invitation, answer="attend")


def test_check_in_is_recorded_by_managers_only(committee, street_admin, unit_operator, unit):
    invitation = Invitation.objects.create(meeting=past_meeting(committee), unit=unit)
    with pytest.raises(PermissionDenied):
        actions.check_in(by=unit_operator, invitation=invitation)
    assert actions.check_in(by=street_admin, invitation=invitation).checked_in


def test_a_unit_operator_raises_only_to_committees_above_its_unit(committee, unit_operator):
    from tests.alliance.factories import CommitteeFactory

    elsewhere = CommitteeFactory(name="西站街道大工委")
    with pytest.raises(PermissionDenied):
        actions.raise_matter(by=unit_operator, committee=elsewhere, title="跨街道议题")
    assert not Matter.objects.exists()
