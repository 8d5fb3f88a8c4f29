"""A resident orders on a phone; the unit accepts and serves; the grid worker confirms delivery; the resident rates."""

import pytest

from services.models import Order
from tests.browser_support import shot, sign_in
from tests.services.factories import MenuItemFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_resident_orders_on_a_phone_unit_serves_community_confirms_resident_rates(
    new_page, resident, unit_operator, grid_worker, community
):
    MenuItemFactory(title="老年助餐送餐", provider_unit=unit_operator.unit, grid_scope=community)

    phone = new_page(phone=True)
    sign_in(phone, resident)
    phone.goto("/services/menu/")
    phone.get_by_role("link", name="老年助餐送餐").first.click()
    phone.fill("#id_address", "舜玉小区3号楼2单元501")
    phone.fill("#id_text", "中午12点前送到,老人行动不便请敲门")
    phone.get_by_role("button", name="提交点单").click()
    phone.get_by_text("点单成功").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    shot(phone, "order_1_submitted_phone")
    order_url = phone.url
    order = Order.objects.get(resident=resident)
    assert order.status == Order.Status.SUBMITTED

    desk = new_page()
    sign_in(desk, unit_operator)
    desk.goto("/workspace/services/orders/")
    row = desk.locator("ul.list li", has_text="老年助餐送餐")
    row.get_by_role("button", name="接单").click()
    desk.locator("ul.list li", has_text="老年助餐送餐").get_by_role("button", name="标记已服务").click()
    desk.get_by_text("待社区确认送达").first.wait_for()
    shot(desk, "order_2_served_unit")
    order.refresh_from_db()
    assert order.status == Order.Status.SERVED
    assert order.unit == unit_operator.unit

    grid = new_page()
    sign_in(grid, grid_worker)
    grid.goto("/workspace/services/orders/")
    grid.locator("ul.list li", has_text="老年助餐送餐").get_by_role("button", name="确认送达").click()
    grid.get_by_text("已确认送达").wait_for()
    shot(grid, "order_3_delivered_community")
    order.refresh_from_db()
    assert order.status == Order.Status.DELIVERED

    phone.goto(order_url)
    phone.locator("input[name=rating][value='5']").check()
    phone.fill("#id_comment", "饭菜可口,送餐准时")
    phone.get_by_role("button", name="提交评价").click()
    phone.get_by_text("感谢您的评价").wait_for()
    shot(phone, "order_4_rated_phone")
    assert "饭菜可口" in phone.locator("article.card").inner_text()
    order.refresh_from_db()
    assert (order.status, order.rating) == (Order.Status.RATED, 5)
