"""On a phone (390×844): a resident on their community's page presses 关注, keeps news and activities, chooses a
weekly e-mail and sees the follow on 我的关注, with the community's Atom feeds. Screenshots in tests/artifacts/."""

import pytest

from alliance.following.models import Follow
from tests.browser_support import login, shot
from tests.members.factories import ResidentFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_resident_follows_their_community_on_a_phone(phone_page, community, micro_grid):
    resident = ResidentFactory(grid_node=micro_grid, email="lixiulan@example.cn", username="lixiulan")
    phone = phone_page
    login(phone, resident)

    phone.goto(f"/grid/{community.pk}/")
    assert phone.locator("link[rel=alternate][type='application/atom+xml']").count() == 5
    shot(phone, "follow_1_community_phone")
    phone.get_by_role("link", name="关注舜园社区").click()
    phone.get_by_role("heading", name="关注社区或微网格").wait_for()
    assert phone.locator("#id_node").input_value() == str(community.pk)
    for label in ("新需求和新项目", "公开的居民说事和办理结果", "征集、评选和微建议的结果"):
        phone.get_by_label(label).uncheck()
    phone.get_by_label("每周").check()
    phone.get_by_label("电子邮件").check()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    shot(phone, "follow_2_form_phone")
    phone.get_by_role("button", name="关注", exact=True).click()

    phone.get_by_text("关注成功！").wait_for()
    assert phone.url.endswith("/follow/")
    card = phone.locator(".follow").first
    assert "舜园社区" in card.inner_text() and "新闻和通知公告、活动" in card.inner_text()
    assert "每周推送 · 电子邮件" in card.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "follow_3_my_follows_phone")
    follow = Follow.objects.get(user=resident)
    assert (follow.node_id, follow.topics, follow.frequency, follow.channel) == (
        community.pk,
        ["news", "activities"],
        "weekly",
        "email",
    )
