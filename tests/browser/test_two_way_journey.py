"""Two-way lists on a phone (390×844): a unit operator posts a need from the workspace, the community admin approves it
from the admin's to-do page, the need shows on the public list; the unit pledges to a crowdfunding project from its
page and the page shows the new total."""

from decimal import Decimal

import pytest

from projects.models import Need, Pledge
from tests.browser_support import login, shot, sign_in
from tests.projects.factories import ProjectFactory, ensure_categories

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_unit_posts_a_need_the_community_approves_it_and_the_unit_pledges(
    new_page, unit_operator, community_admin, community
):
    ensure_categories()  # a transactional test's flush removed them
    unit = new_page(phone=True)
    login(unit, unit_operator)
    unit.goto("/workspace/lists/needs/new/")
    unit.fill("#id_title", "职工子女暑期托管场地")
    unit.select_option("#id_category", index=1)
    unit.fill("#id_description", "暑期双职工家庭孩子无人照看，希望社区提供活动室，单位派党员志愿者值守。")
    unit.fill("#id_people_affected", "30")
    shot(unit, "two_way_1_need_form_phone")
    unit.get_by_role("button", name="提交审核").click()
    unit.get_by_text("需求已提交").wait_for()
    assert "待审核" in unit.locator("[data-list=unit-needs]").inner_text()
    shot(unit, "two_way_2_need_pending_phone")
    need = Need.objects.get(title="职工子女暑期托管场地")
    assert need.status == Need.Status.PENDING and need.posted_by_unit == unit_operator.unit

    public = new_page(phone=True)
    public.goto("/lists/needs/")
    assert "职工子女暑期托管场地" not in public.locator("main").inner_text()

    admin = new_page(phone=True)
    sign_in(admin, community_admin)
    admin.goto("/admin/")
    admin.get_by_text("待审核的单位需求").first.wait_for()
    shot(admin, "two_way_3_todo_phone")
    admin.get_by_role("link", name="审核通过并公开").first.click()
    admin.locator("input[type=submit][value=确认]").click()
    admin.locator(".messagelist").wait_for()
    shot(admin, "two_way_4_approved_admin_phone")
    need.refresh_from_db()
    assert need.status == Need.Status.OPEN, admin.locator(".messagelist").inner_text()

    public.goto("/lists/needs/")
    assert "职工子女暑期托管场地" in public.locator("main").inner_text()
    shot(public, "two_way_5_public_needs_phone")

    project = ProjectFactory(
        title="老旧小区加装扶手公益众筹", grid_node=community, crowdfunding_target=Decimal("20000")
    )
    unit.goto(f"/lists/projects/{project.pk}/")
    unit.get_by_text("本单位认捐").click()
    unit.fill("#pledge-amount", "3000")
    shot(unit, "two_way_6_pledge_form_phone")
    unit.get_by_role("button", name="确认认捐").click()
    unit.get_by_text("认捐已登记").wait_for()
    assert "已筹 3000.00 元" in unit.locator("main").inner_text()
    shot(unit, "two_way_7_pledged_project_phone")
    assert Pledge.objects.get(project=project).unit == unit_operator.unit

    unit.goto("/workspace/lists/pledges/")
    assert "老旧小区加装扶手公益众筹" in unit.locator("[data-list=unit-pledges]").inner_text()
    shot(unit, "two_way_8_unit_pledges_phone")
