"""A community admin's morning at 1366×900: the to-do page first, an overdue order accepted through its button
and the confirmation page, an issue moved on to its next step; screenshots in tests/artifacts/."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from services.models import Issue, Order
from tests.browser_support import login, shot
from tests.services.factories import IssueFactory, MenuItemFactory, OrderFactory, ServiceStationFactory

pytestmark = pytest.mark.django_db(transaction=True)

LAPTOP = {"width": 1366, "height": 900}


def test_a_community_admin_works_through_the_todo_page(new_page, community_admin, resident, community):
    community_admin.display_name = "王秀兰"
    community_admin.save(update_fields=["display_name"])
    station = ServiceStationFactory(grid_node=community, name="舜园社区党群服务站")
    meals = MenuItemFactory(title="老年助餐送餐", provider_unit=None, provider_station=station, grid_scope=community)
    five_days_ago = timezone.now() - datetime.timedelta(days=5)
    order = OrderFactory(resident=resident, menu_item=meals, submitted_at=five_days_ago)
    OrderFactory(resident=resident, menu_item=meals, text="晚饭也想订")  # in time
    issue = IssueFactory(reporter=resident, title="楼道堆放杂物", step_started_at=five_days_ago)

    page = new_page()
    page.set_viewport_size(LAPTOP)
    login(page, community_admin, admin=True)

    # The first page: today's work, the overdue order first and marked, the greeting by name.
    assert "您好，王秀兰" in page.locator("#user-tools").inner_text()
    to_accept = page.locator("#todo-orders_to_accept")
    assert "2 件" in to_accept.locator("h3").inner_text()
    assert "其中已超时 1 件" in to_accept.inner_text()
    first = to_accept.locator("li").first
    assert "已超时" in first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"]
    shot(page, "workbench_1_todo")

    # Accept the overdue order: its button opens the confirmation page; confirming comes back here.
    first.get_by_role("link", name="接单").click()
    page.get_by_text("确认对“老年助餐送餐”执行“接单”").wait_for()
    shot(page, "workbench_2_accept_confirm")
    page.get_by_role("button", name="确认").click()
    page.wait_for_url("**/admin/")
    assert "已接单" in page.locator(".messagelist").inner_text()
    order.refresh_from_db()
    assert order.status == Order.Status.ACCEPTED
    assert "1 件" in page.locator("#todo-orders_to_accept h3").inner_text()
    shot(page, "workbench_3_order_accepted")

    # Move the issue on, with the note the workflow asks for.
    page.locator("#todo-issues_discovered li", has_text="楼道堆放杂物").get_by_role(
        "link", name="推进到下一环节"
    ).click()
    page.fill("textarea[name=text]", "已约物业明天上午现场查看")
    shot(page, "workbench_4_issue_confirm")
    page.get_by_role("button", name="确认").click()
    page.wait_for_url("**/admin/")
    issue.refresh_from_db()
    assert issue.status == Issue.Status.CONSULTING
    page.locator("#todo-issues_consulting li", has_text="楼道堆放杂物").wait_for()
    shot(page, "workbench_5_issue_moved")

    # Export the orders: the line's title opens the orders list it counts, and 导出Excel downloads that list.
    page.goto("/admin/")
    page.locator("#todo-orders_to_accept h3 a").first.click()
    page.wait_for_url("**/admin/services/order/?todo=*")
    shot(page, "workbench_6_orders_list")
    with page.expect_download() as info:
        page.get_by_role("link", name="导出Excel").click()
    download = info.value
    assert download.suggested_filename.startswith("点单-") and download.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(download.path().read_bytes()), read_only=True)
    sheet = book.worksheets[0]
    assert sheet.title == "点单"
    rows = list(sheet.values)
    assert len(rows) == 2  # the header and the one order still waiting to be accepted
    assert "晚饭也想订" in rows[1]
