"""Dual reporting by role: the member submits and resubmits; the community's admins (or the street's) confirm or
return with a reason; everyone else is refused."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from alliance.core.errors import Conflict
from alliance.core.models import Notification
from alliance.volunteering import actions
from alliance.volunteering.models import DualReport
from members.models import PartyMember, Skill
from tests.members.factories import PartyMemberFactory
from tests.services.factories import MenuItemFactory
from tests.volunteering.factories import DualReportFactory

pytestmark = pytest.mark.django_db


def test_a_party_member_reports_and_gets_a_member_record(member_user, report_data, community, community_admin):
    skill = Skill.objects.create(name="法律咨询")
    report = actions.submit_report(by=member_user, skills=[skill], **report_data)
    assert report.status == DualReport.Status.SUBMITTED and report.submitted_by == member_user
    member = PartyMember.objects.get(user=member_user)
    assert (member.name, member.phone, member.reported_on) == ("孙立华", member_user.phone, None)
    assert list(report.skills.all()) == [skill]
    assert report.post_text == "志愿岗位：楼栋志愿者"
    # The community's admin hears of it.
    assert Notification.objects.filter(recipient=community_admin, key__startswith=f"dual-report:{report.pk}:").exists()


def test_an_imported_member_with_the_same_phone_is_taken_over(member_user, report_data, community):
    imported = PartyMemberFactory(phone=member_user.phone, community=community)
    report = actions.submit_report(by=member_user, **report_data)
    assert report.member_id == imported.pk
    imported.refresh_from_db()
    assert imported.user_id == member_user.pk


def test_a_phone_of_another_members_account_is_refused(member_user, report_data, community, resident):
    PartyMemberFactory(phone=member_user.phone, community=community, user=resident)
    with pytest.raises(ValidationError) as err:
        actions.submit_report(by=member_user, **report_data)
    assert "phone" in err.value.message_dict


def test_residents_and_unit_operators_cannot_report(resident, unit_operator, report_data):
    for user in (resident, unit_operator):
        with pytest.raises(PermissionDenied):
            actions.submit_report(by=user, **report_data)
    assert not DualReport.objects.exists()


def test_a_second_report_is_refused(member_user, report_data):
    actions.submit_report(by=member_user, **report_data)
    with pytest.raises(ValidationError):
        actions.submit_report(by=member_user, **report_data)
    assert DualReport.objects.count() == 1


@pytest.mark.parametrize(
    "change, field",
    [
        ({"volunteer_role": ""}, "volunteer_role"),  # no post
        ({"serve_times": [], "serve_note": ""}, "serve_times"),
        ({"in_service": True}, "unit"),  # in service: a unit or a party organisation
        ({"serve_times": ["midnight"]}, "serve_times"),
    ],
)
def test_what_a_member_must_fill_in(member_user, report_data, change, field):
    with pytest.raises(ValidationError) as err:
        actions.submit_report(by=member_user, **{**report_data, **change})
    assert field in err.value.message_dict


def test_two_posts_at_once_are_refused(member_user, report_data, team):
    with pytest.raises(ValidationError) as err:
        actions.submit_report(by=member_user, **{**report_data, "team": team})
    assert "三选一" in str(err.value)


def test_a_micro_grid_of_another_community_is_refused(member_user, report_data, other_community):
    with pytest.raises(ValidationError) as err:
        actions.submit_report(by=member_user, **{**report_data, "community": other_community})
    assert "micro_grid" in err.value.message_dict


def test_a_team_or_menu_item_of_another_community_is_refused(member_user, report_data, other_community):
    from tests.grids.factories import TeamFactory

    elsewhere = {**report_data, "volunteer_role": "", "micro_grid": None}
    with pytest.raises(ValidationError) as err:
        actions.submit_report(by=member_user, **elsewhere, team=TeamFactory(node=other_community))
    assert "team" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        actions.submit_report(by=member_user, **elsewhere, menu_item=MenuItemFactory(grid_scope=other_community))
    assert "menu_item" in err.value.message_dict


def test_the_community_admin_confirms_and_the_member_is_reported(community_admin, community, unit):
    report = DualReportFactory(member__community=community, unit=unit, member__unit=None)
    actions.confirm_report(by=community_admin, dual_report=report)
    report.refresh_from_db()
    assert (report.status, report.confirmed_by) == (DualReport.Status.CONFIRMED, community_admin)
    member = report.member
    member.refresh_from_db()
    assert member.community == community and member.reported_on == timezone.localdate() and member.unit == unit
    assert Notification.objects.filter(recipient=member.user, key=f"dual-report:{report.pk}:confirmed").exists() or (
        member.user is None
    )


def test_the_street_admin_above_may_confirm(street_admin, community):
    report = DualReportFactory(member__community=community)
    actions.confirm_report(by=street_admin, dual_report=report)
    assert DualReport.objects.get(pk=report.pk).status == DualReport.Status.CONFIRMED


def test_others_cannot_confirm_or_return(community, other_community_admin, grid_worker, resident, unit_operator):
    report = DualReportFactory(member__community=community)
    for user in (other_community_admin, grid_worker, resident, unit_operator):
        with pytest.raises(PermissionDenied):
            actions.confirm_report(by=user, dual_report=report)
        with pytest.raises(PermissionDenied):
            actions.return_report(by=user, dual_report=report, reason="不对")
    assert DualReport.objects.get(pk=report.pk).status == DualReport.Status.SUBMITTED


def test_return_needs_a_reason_and_the_member_resubmits(member_user, report_data, community_admin):
    report = actions.submit_report(by=member_user, **report_data)
    with pytest.raises(ValidationError):
        actions.return_report(by=community_admin, dual_report=report, reason="  ")
    actions.return_report(by=community_admin, dual_report=report, reason="微网格选错了")
    assert report.status == DualReport.Status.RETURNED and report.return_reason == "微网格选错了"
    assert Notification.objects.filter(recipient=member_user, title__contains="退回").exists()
    # A returned report cannot be confirmed until it is resubmitted (someone else returned it: 409).
    with pytest.raises(Conflict):
        actions.confirm_report(by=community_admin, dual_report=report)
    actions.resubmit_report(by=member_user, dual_report=report, **{**report_data, "micro_grid": None})
    report.refresh_from_db()
    assert (report.status, report.return_reason, report.micro_grid) == (DualReport.Status.RESUBMITTED, "", None)
    actions.confirm_report(by=community_admin, dual_report=report)
    assert report.status == DualReport.Status.CONFIRMED


def test_only_the_member_resubmits_and_only_a_returned_report(member_user, report_data, community_admin, resident):
    report = actions.submit_report(by=member_user, **report_data)
    with pytest.raises(ValidationError):
        actions.resubmit_report(by=member_user, dual_report=report, **report_data)
    actions.return_report(by=community_admin, dual_report=report, reason="请补充特长")
    with pytest.raises(PermissionDenied):
        actions.resubmit_report(by=resident, dual_report=report, **report_data)


def test_confirming_twice_is_a_conflict(community_admin, community):
    report = DualReportFactory(member__community=community)
    actions.confirm_report(by=community_admin, dual_report=report)
    stale = DualReport.objects.get(pk=report.pk)
    stale.status = DualReport.Status.SUBMITTED  # as another admin's page still shows it
    with pytest.raises(Conflict):
        actions.return_report(by=community_admin, dual_report=stale, reason="迟了")


def test_the_hours_target_counts_the_member_once_confirmed(community_admin, community):
    report = DualReportFactory(member__community=community)
    assert not PartyMember.objects.filter(pk=report.member_id, reported_on__isnull=False).exists()
    actions.confirm_report(by=community_admin, dual_report=report, now=timezone.now() - datetime.timedelta(days=1))
    assert PartyMember.objects.filter(pk=report.member_id, reported_on__isnull=False).exists()
