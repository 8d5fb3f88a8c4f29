"""The two-list selector (filter_horizontal) of a change form speaks Chinese in a real browser (issue 14):
「全选」/「全部删除」, not "Choose all"/"Remove all", whatever language the browser itself asks for."""

import pytest

from members.models import Skill
from tests.browser_support import shot, sign_in
from tests.members.factories import PartyMemberFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("browser_language", ["zh-CN", "en-US"])
def test_the_two_list_selector_is_in_chinese(browser, live_server, community_admin, unit, browser_language):
    member = PartyMemberFactory(community=community_admin.grid_node, unit=unit)
    Skill.objects.create(name="理发")
    context = browser.new_context(
        base_url=live_server.url,
        locale=browser_language,
        timezone_id="Asia/Shanghai",
        viewport={"width": 1366, "height": 900},
    )
    try:
        page = context.new_page()
        page.live_url = live_server.url
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        sign_in(page, community_admin)

        page.goto(f"/admin/members/partymember/{member.pk}/change/")
        selector = page.locator(".selector").first
        selector.wait_for()
        text = selector.inner_text()
        shot(page, f"admin_selector_{browser_language}")

        assert "全选" in text and "全部删除" in text, text
        assert "Choose all" not in text and "Remove all" not in text, text
        assert not errors
    finally:
        context.close()
