"""On a phone (390×844): a resident opens 微建议, opens a neighbour's proposal, supports it (the count goes up)
and comments; then proposes one of their own and finds it in 我的建议 waiting for review; the community admin
publishes it from 今日待办's line in the admin. Screenshots in tests/artifacts/proposal_*.png."""

import pytest

from alliance.proposals.models import Proposal
from tests.browser_support import login, shot
from tests.members.factories import CommunityAdminFactory, ResidentFactory
from tests.proposals.factories import ProposalFactory, SupportFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_resident_supports_and_comments_on_a_phone_and_the_community_publishes_theirs(new_page, community):
    author = ResidentFactory(grid_node=community, display_name="张桂芳")
    resident = ResidentFactory(grid_node=community, display_name="李秀兰", username="lixiulan")
    admin = CommunityAdminFactory(grid_node=community, username="shunyuan_admin")
    seats = ProposalFactory(
        community=community,
        author=author,
        status=Proposal.Status.PUBLISHED,
        title="小区中心广场增设几张休闲座椅",
        text="傍晚广场上人多，老人走累了没地方坐，建议在东侧树荫下放几张长椅。",
        location="中心广场东侧",
    )
    for _ in range(4):
        SupportFactory(proposal=seats)
    Proposal.objects.filter(pk=seats.pk).update(support_count=4)

    phone = new_page(phone=True)
    login(phone, resident)
    phone.goto("/proposals/")
    phone.get_by_role("heading", name="微建议", exact=True).wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "proposal_1_list_phone")
    phone.get_by_role("link", name="小区中心广场增设几张休闲座椅").click()
    phone.get_by_role("heading", name="小区中心广场增设几张休闲座椅").wait_for()
    assert phone.locator("[data-support-count]").inner_text() == "4"
    assert "张**" in phone.content() and "张桂芳" not in phone.content()
    shot(phone, "proposal_2_detail_phone")

    phone.get_by_role("button", name="我支持").click()
    phone.get_by_text("感谢您的支持！").wait_for()
    assert phone.locator("[data-support-count]").inner_text() == "5"
    phone.fill("#id_text", "赞成！最好是带靠背的长椅，老人坐着舒服。")
    phone.get_by_role("button", name="发表评论").click()
    phone.get_by_text("评论已发表。").wait_for()
    phone.get_by_text("赞成！最好是带靠背的长椅，老人坐着舒服。").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "proposal_3_supported_phone")

    phone.goto("/proposals/new/")
    phone.fill("#id_title", "3号楼楼道灯不亮，建议换声控灯")
    phone.fill("#id_text", "3号楼2单元三楼到五楼的灯坏了半个月，晚上上下楼要摸黑。")
    phone.select_option("#id_community", str(community.pk))
    phone.fill("#id_location", "3号楼2单元")
    shot(phone, "proposal_4_new_phone")
    phone.get_by_role("button", name="提交建议").click()
    phone.get_by_text("已收到您的微建议").wait_for()
    phone.goto("/proposals/mine/")
    phone.get_by_text("待审核").first.wait_for()
    shot(phone, "proposal_5_mine_phone")
    mine = Proposal.objects.get(author=resident)

    desk = new_page(phone=True)
    login(desk, admin, admin=True)
    desk.get_by_text("待审核的微建议").first.wait_for()
    desk.goto(f"/admin/proposals/proposal/{mine.pk}/change/")
    desk.get_by_role("button", name="审核通过并公开征集支持").click()
    desk.locator("input[type=submit][value='确认']").click()
    desk.get_by_text("已发布").first.wait_for()
    shot(desk, "proposal_6_published_admin_phone")
    mine.refresh_from_db()
    assert mine.status == Proposal.Status.PUBLISHED and mine.published_by == admin
