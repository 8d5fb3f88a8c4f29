"""The resident's phone at 390×844: home of services, ordering, rating with the stars, cancelling with a confirmation.

On every page the bottom tab bar stays in the viewport with the current tab marked, and no status tag breaks
across lines.
"""

import pytest

from services import actions
from services.models import Order
from tests.browser_support import shot, sign_in
from tests.services.factories import MenuItemFactory

pytestmark = pytest.mark.django_db(transaction=True)

WIDTH, HEIGHT = 390, 844
LONG_TITLE = "老年助餐送餐上门服务（午餐晚餐，高龄独居老人优先）"


def assert_tab_bar_in_view(page, current: str):
    """The tab bar sits at the bottom of the viewport, at the top of the page and scrolled to its end."""
    bar = page.locator("nav.tabbar")
    for scroll in ("0", "document.documentElement.scrollHeight"):
        page.evaluate(f"window.scrollTo(0, {scroll})")
        box = bar.bounding_box()
        assert box is not None and box["width"] >= WIDTH - 1
        assert box["y"] >= HEIGHT - 90 and box["y"] + box["height"] <= HEIGHT + 0.5, box
    marked = bar.locator("a[aria-current=page]")
    assert marked.count() == 1 and marked.inner_text().strip() == current
    assert marked.is_visible()
    page.evaluate("window.scrollTo(0, 0)")


def assert_tags_on_one_line(page):
    """Every status tag is one line: its height is that of one line of its text."""
    tags = page.locator(".tag")
    assert tags.count() > 0
    for i in range(tags.count()):
        height, font = tags.nth(i).evaluate(
            "el => [el.getBoundingClientRect().height, parseFloat(getComputedStyle(el).fontSize)]"
        )
        assert height < 2.2 * font, (tags.nth(i).inner_text(), height, font)


def assert_fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH


def test_the_resident_lands_on_their_services_with_the_tab_bar_in_view(new_page, resident, unit, community):
    item = MenuItemFactory(title=LONG_TITLE, provider_unit=unit, grid_scope=community)
    for _ in range(3):
        actions.submit_order(by=resident, menu_item=item)
    phone = new_page(phone=True)
    sign_in(phone, resident)

    phone.goto("/")

    # The five services are the first thing on the screen, above the fold.
    for entry in ("点单", "说事", "预约", "活动", "心愿"):
        link = phone.locator(".service-grid a", has_text=entry).first
        box = link.bounding_box()
        assert box is not None and box["y"] + box["height"] <= HEIGHT - 60, entry  # not under the tab bar
        assert box["height"] >= 44  # a large target
    assert phone.locator(".badges a", has_text="待接单").first.inner_text().startswith("3")
    assert_tab_bar_in_view(phone, "首页")
    assert_tags_on_one_line(phone)
    assert_fits_the_phone(phone)
    shot(phone, "phone_1_home_resident")

    phone.locator("nav.tabbar a", has_text="我的").click()
    phone.wait_for_url("**/me/")
    assert_tab_bar_in_view(phone, "我的")
    phone.locator(".badges a", has_text="待接单").first.click()
    phone.wait_for_url("**/services/orders/?tab=waiting")
    assert phone.locator(".phase-tabs a[aria-current=page]").inner_text().startswith("待接单")
    # The five tabs fit the phone's width: no tab is off-screen.
    for i in range(phone.locator(".phase-tabs a").count()):
        box = phone.locator(".phase-tabs a").nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH
    assert_tags_on_one_line(phone)
    assert_tab_bar_in_view(phone, "我的")
    shot(phone, "phone_2_my_orders_tabs")


def test_the_resident_orders_a_service_from_the_home(new_page, resident, unit, community):
    MenuItemFactory(title=LONG_TITLE, provider_unit=unit, grid_scope=community)
    phone = new_page(phone=True)
    sign_in(phone, resident)
    phone.goto("/")

    phone.locator(".service-grid a", has_text="点单").click()
    assert_tab_bar_in_view(phone, "服务")
    phone.get_by_role("link", name=LONG_TITLE).first.click()
    phone.fill("#id_address", "舜玉小区3号楼2单元501")
    phone.fill("#id_text", "中午12点前送到，老人行动不便请敲门")
    phone.get_by_role("button", name="提交点单").click()
    phone.get_by_text("点单成功").wait_for()

    order = Order.objects.get(resident=resident)
    assert order.status == Order.Status.SUBMITTED
    assert phone.locator("h1 .tag").inner_text() == "待接单"
    assert "您提交了点单" in phone.locator(".timeline").inner_text()
    assert_tags_on_one_line(phone)
    assert_fits_the_phone(phone)
    shot(phone, "phone_3_ordered")


def test_the_resident_rates_with_the_stars_by_touch_and_by_keyboard(
    new_page, resident, unit, unit_operator, grid_worker, community
):
    item = MenuItemFactory(title=LONG_TITLE, provider_unit=unit_operator.unit, grid_scope=community)
    order = actions.submit_order(by=resident, menu_item=item)
    actions.accept_order(by=unit_operator, order=order)
    actions.serve_order(by=unit_operator, order=order)
    actions.confirm_delivery(by=grid_worker, order=order)
    phone = new_page(phone=True)
    sign_in(phone, resident)
    phone.goto(f"/services/orders/{order.pk}/")
    assert "社区确认服务已送达" in phone.locator(".timeline").inner_text()

    stars = phone.locator(".stars .star")
    assert stars.count() == 5
    boxes = [stars.nth(i).bounding_box() for i in range(5)]
    assert all(box["width"] >= 44 and box["height"] >= 44 for box in boxes)  # large enough to tap
    assert [box["x"] for box in boxes] == sorted(box["x"] for box in boxes)  # 1 star at the left, 5 at the right
    assert len({box["y"] for box in boxes}) == 1  # on one line
    stars.nth(3).tap()  # the fourth star
    assert phone.get_by_role("radio", name="4星：满意").is_checked()
    assert phone.locator(".stars-says").inner_text() == "4星：满意"
    lit = stars.locator(".glyph").evaluate_all("els => els.map(e => getComputedStyle(e).color)")
    assert len(set(lit[:4])) == 1 and lit[4] != lit[0]  # the first four lit, the fifth not
    shot(phone, "phone_4_stars_four")

    phone.keyboard.press("ArrowRight")  # the radio group takes the keyboard: one star more
    assert phone.get_by_role("radio", name="5星：非常满意").is_checked()
    phone.fill("#id_comment", "饭菜可口，送餐准时")
    phone.get_by_role("button", name="提交评价").click()
    phone.get_by_text("感谢您的评价").wait_for()
    order.refresh_from_db()
    assert (order.status, order.rating) == (Order.Status.RATED, 5)
    assert phone.locator("h1 .tag").inner_text() == "已办结"
    assert_tags_on_one_line(phone)
    assert_tab_bar_in_view(phone, "服务")
    shot(phone, "phone_5_rated")


def test_the_resident_cancels_only_after_confirming(new_page, resident, unit, community):
    item = MenuItemFactory(title=LONG_TITLE, provider_unit=unit, grid_scope=community)
    order = actions.submit_order(by=resident, menu_item=item)
    phone = new_page(phone=True)
    sign_in(phone, resident)
    phone.goto(f"/services/orders/{order.pk}/")

    phone.get_by_role("link", name="取消点单").click()
    phone.get_by_role("heading", name="确定取消这个点单吗？").wait_for()
    shot(phone, "phone_6_cancel_confirm")
    phone.get_by_role("link", name="不取消，返回").click()
    phone.wait_for_url(f"**/services/orders/{order.pk}/")
    order.refresh_from_db()
    assert order.status == Order.Status.SUBMITTED

    phone.get_by_role("link", name="取消点单").click()
    phone.get_by_role("button", name="确认取消").click()
    phone.get_by_text("点单已取消").wait_for()
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert phone.locator("h1 .tag").inner_text() == "已取消"
    assert phone.get_by_role("link", name="取消点单").count() == 0
    assert_tags_on_one_line(phone)
    shot(phone, "phone_7_cancelled")


def test_a_unit_declines_with_a_reason_and_the_resident_reads_it(new_page, resident, unit_operator, community):
    item = MenuItemFactory(title=LONG_TITLE, provider_unit=unit_operator.unit, grid_scope=community)
    order = actions.submit_order(by=resident, menu_item=item)
    desk = new_page()
    sign_in(desk, unit_operator)
    desk.goto("/workspace/services/orders/")
    row = desk.locator("ul.list li", has_text=LONG_TITLE)

    row.locator("summary", has_text="婉拒").click()
    row.get_by_role("button", name="确认婉拒").click()  # empty: the browser holds the form back
    assert desk.locator(f"#reason-{order.pk}").evaluate("el => el.validity.valueMissing")
    assert not order.events.filter(kind="declined").exists()
    desk.fill(f"#reason-{order.pk}", "本周人手不足，请其他单位协助")
    row.get_by_role("button", name="确认婉拒").click()
    desk.get_by_text("已婉拒").first.wait_for()
    shot(desk, "phone_8_unit_declines_with_reason")

    phone = new_page(phone=True)
    sign_in(phone, resident)
    phone.goto(f"/services/orders/{order.pk}/")
    notice = phone.locator(".notice").inner_text()
    assert f"{unit_operator.unit.name}婉拒了这个点单，理由：本周人手不足，请其他单位协助" in notice
    assert phone.locator("h1 .tag").inner_text() == "待接单"
    assert_tags_on_one_line(phone)
    shot(phone, "phone_9_resident_reads_the_reason")
