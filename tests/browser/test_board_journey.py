"""On a phone (390×844): a resident starts reporting a problem, is shown the same problem a neighbour already put on
the board (说事墙), presses “同样遇到” instead of sending, and sees the count on the board."""

import pytest

from services import actions
from services.models import Issue, IssueMeToo
from tests.browser_support import shot, sign_in
from tests.members.factories import ResidentFactory
from tests.services.factories import IssueFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_resident_says_me_too_instead_of_reporting_a_duplicate(phone_page, community, settings):
    settings.RATE_LIMITS = {}
    neighbour = ResidentFactory(grid_node=community, display_name="欧阳示例")
    issue = actions.publish_issue(
        by=neighbour, issue=IssueFactory(reporter=neighbour, title="小区东门路灯不亮", location="东门到5号楼")
    )
    resident = ResidentFactory(grid_node=community)
    phone = phone_page
    sign_in(phone, resident)

    # The resident starts a report of the same problem
    phone.goto("/services/issues/new/")
    phone.fill("#id_title", "东门路灯不亮")
    phone.fill("#id_text", "晚上东门一片黑，老人出门看不清路。")
    phone.get_by_role("button", name="提交").click()

    # The neighbour's public issue is suggested; nothing was sent yet
    phone.get_by_text("附近已有邻居反映了相似的问题").wait_for()
    assert phone.get_by_role("button", name="仍要提交").is_visible()
    assert "欧阳示例" not in phone.content()
    shot(phone, "board_1_similar_suggested")
    assert not Issue.objects.filter(reporter=resident).exists()

    # “同样遇到” instead of sending
    phone.locator("[data-similar]").get_by_role("button", name="同样遇到").click()
    phone.get_by_text("已记下：您也遇到了这个问题").wait_for()
    shot(phone, "board_2_me_too_done")
    assert IssueMeToo.objects.filter(issue=issue, person=resident).count() == 1
    assert not Issue.objects.filter(reporter=resident).exists()

    # The board shows the count
    phone.goto("/services/board/")
    row = phone.locator("ul.board li", has_text="小区东门路灯不亮")
    row.get_by_text("1人同样遇到").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    shot(phone, "board_3_count_on_board")


def test_the_form_shows_similar_issues_while_the_title_is_typed(phone_page, community, settings):
    settings.RATE_LIMITS = {}
    neighbour = ResidentFactory(grid_node=community)
    issue = actions.publish_issue(by=neighbour, issue=IssueFactory(reporter=neighbour, title="8号楼前井盖松动"))
    resident = ResidentFactory(grid_node=community)
    sign_in(phone_page, resident)

    phone_page.goto("/services/issues/new/")
    phone_page.fill("#id_title", "井盖松动")

    live = phone_page.locator("[data-similar-live]")
    live.get_by_text("8号楼前井盖松动").wait_for()
    shot(phone_page, "board_4_similar_while_typing")
    live.get_by_role("button", name="同样遇到").click()
    phone_page.get_by_text("已记下：您也遇到了这个问题").wait_for()
    assert IssueMeToo.objects.filter(issue=issue, person=resident).exists()
