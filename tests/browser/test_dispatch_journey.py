"""派单 seen by the unit on a phone: the new order in its inbox at once, and in its workspace with the time left;
an order past its limit first, in red."""

import datetime

import pytest
from django.utils import timezone

from services.models import Order
from tests.browser_support import shot, sign_in
from tests.members.factories import ResidentFactory
from tests.services.factories import MenuItemFactory, OrderFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_unit_sees_a_new_order_in_its_inbox_and_the_overdue_one_first_in_red(
    new_page, resident, unit_operator, community
):
    item = MenuItemFactory(title="老年助餐送餐", provider_unit=unit_operator.unit, grid_scope=community)
    late = OrderFactory(
        menu_item=item,
        resident=ResidentFactory(grid_node=community, display_name="李大爷"),
        submitted_at=timezone.now() - datetime.timedelta(days=6),
    )

    phone = new_page(phone=True)
    sign_in(phone, resident)
    phone.goto(f"/services/menu/{item.pk}/")
    phone.fill("#id_address", "舜玉小区3号楼2单元501")
    phone.get_by_role("button", name="提交点单").click()
    phone.get_by_text("点单成功").wait_for()
    fresh = Order.objects.exclude(pk=late.pk).get()

    desk = new_page(phone=True)
    sign_in(desk, unit_operator)
    desk.goto("/services/inbox/")
    desk.get_by_text(f"新的点单：{resident.display_name}预约了“老年助餐送餐”").wait_for()
    shot(desk, "dispatch_1_inbox_unit_phone")

    desk.goto("/workspace/services/orders/")
    rows = desk.locator("ul.list li")
    assert f"/services/orders/{late.pk}/" in rows.nth(0).inner_html()  # overdue first
    assert f"/services/orders/{fresh.pk}/" in rows.nth(1).inner_html()
    overdue = rows.nth(0).locator(".waiting.overdue")
    assert overdue.inner_text().startswith("已超时")
    assert overdue.evaluate("e => getComputedStyle(e).color") == "rgb(183, 28, 28)"
    assert rows.nth(1).locator(".waiting").inner_text().startswith("还剩")
    assert desk.evaluate("document.documentElement.scrollWidth") <= 390
    shot(desk, "dispatch_2_workspace_unit_phone")
