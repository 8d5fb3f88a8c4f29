"""On a phone (390×844): a party member with no member record follows 我的积分's link, dual-reports (community, then
micro-grid; skills, times, a volunteer post) and sees it waiting; the community admin, on a phone too, finds it on
今日待办 and confirms it in the admin (确认报到); the member then sees 已报到. Screenshots in tests/artifacts/."""

import pytest

from alliance.volunteering.models import DualReport
from members.models import PartyMember, Skill
from tests.browser_support import login, shot
from tests.members.factories import CommunityAdminFactory
from tests.volunteering.factories import PartyMemberUserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_party_member_dual_reports_and_the_community_admin_confirms(new_page, community, micro_grid):
    Skill.objects.create(name="法律咨询")
    member = PartyMemberUserFactory(grid_node=community, display_name="孙立华", username="sunlihua")
    admin = CommunityAdminFactory(grid_node=community, username="shunyuan_admin")

    phone = new_page(phone=True)
    login(phone, member)
    phone.goto("/alliance/points/me/")
    phone.get_by_role("link", name="到居住地社区报到（双报到）").click()
    phone.get_by_role("heading", name="党员双报到").wait_for()
    phone.select_option("#id_community", str(community.pk))
    phone.select_option("#id_micro_grid", str(micro_grid.pk))  # narrowed to the community's micro-grids
    phone.get_by_label("非在职党员（退休、灵活就业等）").check()
    phone.get_by_label("法律咨询").check()
    phone.get_by_label("周末").check()
    phone.fill("#id_serve_note", "每月第二个周六上午")
    phone.get_by_role("radio", name="志愿岗位").check()
    phone.fill("#id_volunteer_role", "法律咨询志愿者")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    shot(phone, "dual_report_1_form_phone")
    phone.get_by_role("button", name="提交报到").click()
    phone.get_by_text("报到已提交，请等待社区确认。").wait_for()
    assert phone.locator("[data-status]").inner_text() == "待确认"
    shot(phone, "dual_report_2_waiting_phone")
    report = DualReport.objects.get(member__user=member)
    assert (report.micro_grid_id, report.volunteer_role) == (micro_grid.pk, "法律咨询志愿者")

    desk = new_page(phone=True)
    login(desk, admin, admin=True)
    desk.get_by_text("待确认的党员双报到").first.wait_for()
    desk.goto(f"/admin/volunteering/dualreport/{report.pk}/change/")
    desk.get_by_role("button", name="确认报到").click()
    desk.locator("input[type=submit][value='确认']").click()
    desk.get_by_text("已确认报到").first.wait_for()
    shot(desk, "dual_report_3_confirmed_admin_phone")
    report.refresh_from_db()
    assert report.status == DualReport.Status.CONFIRMED
    assert PartyMember.objects.get(user=member).reported_on is not None

    phone.goto("/volunteering/report/")
    assert phone.locator("[data-status]").inner_text() == "已报到"
    shot(phone, "dual_report_4_confirmed_phone")
