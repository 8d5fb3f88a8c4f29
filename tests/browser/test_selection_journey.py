"""On a phone (390×844): a resident opens the selections of their area, opens the one voting now, votes for a family
and sees 您已投票 and for whom; then opens the result of last month's published selection (ranking, shares, the
winners). The community admin sees the live count in the admin. Screenshots in tests/artifacts/selection_*.png."""

import pytest
from django.utils import timezone

from alliance.surveys.models import Selection, Vote
from tests.browser_support import login, shot
from tests.members.factories import CommunityAdminFactory, ResidentFactory
from tests.surveys.selection_factories import CandidateFactory, SelectionFactory, VoteFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_resident_votes_for_a_family_and_reads_the_published_result(new_page, community):
    open_now = SelectionFactory(grid_node=community, title="2026年度“最美家庭”评选")
    for i, (name, story) in enumerate(
        [
            ("张桂兰家庭", "四世同堂、孝老爱亲，常年帮扶楼里的独居老人。"),
            ("李建国家庭", "老党员夫妇坚持义务巡逻，带头清理楼道堆物。"),
            ("王秀英家庭", "重视家风家教，一家人每年参加垃圾分类志愿服务。"),
        ]
    ):
        CandidateFactory(selection=open_now, community=community, name=name, story=story, position=i)
    published = SelectionFactory(
        grid_node=community,
        title="2025年度“最美家庭”评选",
        status=Selection.Status.PUBLISHED,
        published_at=timezone.now(),
        places=2,
    )
    for i, (name, votes) in enumerate([("刘德明家庭", 5), ("陈玉珍家庭", 3), ("赵志强家庭", 2)]):
        VoteFactory.create_batch(
            votes, candidate=CandidateFactory(selection=published, community=community, name=name, position=i)
        )
    resident = ResidentFactory(grid_node=community, username="lixiulan", display_name="李秀兰")

    phone = new_page(phone=True)
    login(phone, resident)
    phone.goto("/surveys/selections/")
    shot(phone, "selection_0_list_phone")
    phone.get_by_role("link", name="2026年度“最美家庭”评选").click()
    phone.get_by_role("heading", name="李建国家庭").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    shot(phone, "selection_1_candidates_phone")
    phone.get_by_role("button", name="投票给李建国家庭").click()
    phone.get_by_text("投票成功，您投给了“李建国家庭”。").wait_for()
    assert "您已投票" in phone.locator(".notice.voted").inner_text()
    assert phone.get_by_role("button", name="投票给张桂兰家庭").count() == 0
    shot(phone, "selection_2_voted_phone")
    assert Vote.objects.get(voter=resident).candidate.name == "李建国家庭"

    phone.goto("/surveys/selections/")
    phone.get_by_role("link", name="2025年度“最美家庭”评选").click()
    phone.get_by_role("heading", name="2025年度“最美家庭”评选结果").wait_for()
    winners = phone.locator(".standing.winner")
    assert winners.count() == 2 and "刘德明家庭" in winners.first.inner_text()
    assert "5票，占50.0%" in phone.locator("body").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "selection_3_results_phone")

    admin = CommunityAdminFactory(grid_node=community, username="shunyuan_admin")
    desk = new_page(phone=True)
    login(desk, admin, admin=True)
    desk.goto(f"/admin/surveys/selection/{open_now.pk}/change/")
    desk.get_by_role("button", name="结束投票").wait_for()
    assert "当前票数" in desk.locator("body").inner_text()
    shot(desk, "selection_4_admin_live_count_phone")
    # the admin ends the voting and publishes: the resident's choice is now counted in public
    desk.get_by_role("button", name="结束投票").click()
    desk.locator("input[type=submit][value='确认']").click()
    desk.get_by_role("button", name="公布结果").click()
    desk.locator("input[type=submit][value='确认']").click()
    desk.get_by_text("已公布结果").first.wait_for()
    phone.goto(f"/surveys/selections/{open_now.pk}/results/")
    assert "李建国家庭" in phone.locator(".standing.winner").first.inner_text()
    shot(phone, "selection_5_published_phone")
