"""Every list to Excel: the admin's "导出Excel" of orders, issues, bookings and activities (alliance.core.exports)."""

import datetime
import io
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from services.models import ActivitySignup, IssueEvent, Order
from tests.members.factories import ResidentFactory
from tests.services.factories import (
    ActivityFactory,
    BookingFactory,
    IssueFactory,
    MenuItemFactory,
    OrderFactory,
    RoomFactory,
)

BEIJING = datetime.timezone(datetime.timedelta(hours=8))


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 11, day, hour, minute, tzinfo=BEIJING)


def sheet_of(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    return book.active


def rows_of(sheet) -> list[dict]:
    values = list(sheet.iter_rows(values_only=True))
    headers = values[0]
    return [dict(zip(headers, row, strict=True)) for row in values[1:]]


@pytest.fixture
def orders(community, other_community, unit):
    """Three orders of 舜园社区 (one rated, one accepted, one cancelled) and one of 舜华社区."""
    resident = ResidentFactory(grid_node=community)
    rated = OrderFactory(
        resident=resident,
        menu_item=MenuItemFactory(title="老年助餐", provider_unit=unit),
        status=Order.Status.RATED,
        unit=unit,
        submitted_at=at(2, 9),
        accepted_at=at(2, 10, 30),
        served_at=at(3, 11),
        delivered_at=at(3, 15),
        rated_at=at(4, 8),
        rating=5,
        comment="送餐准时，饭菜可口",
    )
    accepted = OrderFactory(
        resident=resident,
        menu_item=MenuItemFactory(title='=HYPERLINK("http://x","点我")', provider_unit=unit),
        status=Order.Status.ACCEPTED,
        unit=unit,
        submitted_at=at(5, 9),
        accepted_at=at(5, 9, 45),
    )
    cancelled = OrderFactory(resident=resident, status=Order.Status.CANCELLED, submitted_at=at(6, 14))
    elsewhere = OrderFactory(resident=ResidentFactory(grid_node=other_community), submitted_at=at(7, 9))
    return rated, accepted, cancelled, elsewhere


def test_orders_export_has_the_communitys_rows_with_timeline_times_and_rating(client, community_admin, orders):
    rated, accepted, cancelled, elsewhere = orders
    client.force_login(community_admin)

    response = client.get(reverse("admin:services_order_export_excel"))

    sheet = sheet_of(response)
    assert sheet.title == "点单"
    today = timezone.localdate().strftime("%Y%m%d")
    disposition = response["Content-Disposition"]
    assert f'filename="orders-{today}.xlsx"' in disposition
    assert f"filename*=UTF-8''{quote(f'点单-{today}.xlsx')}" in disposition
    rows = rows_of(sheet)
    # The admin's order: newest first; 舜华社区's order is not there.
    assert [r["编号"] for r in rows] == [cancelled.pk, accepted.pk, rated.pk]
    assert elsewhere.pk not in [r["编号"] for r in rows]
    first = rows[2]
    assert first["服务项目"] == "老年助餐"
    assert first["状态"] == "已评价"
    assert first["接单单位"] == rated.unit.name
    assert first["联系电话"] == "139****5678"
    # Times in Beijing time, as real dates.
    assert first["点单时间"] == datetime.datetime(2026, 11, 2, 9, 0)
    assert first["接单时间"] == datetime.datetime(2026, 11, 2, 10, 30)
    assert first["服务时间"] == datetime.datetime(2026, 11, 3, 11, 0)
    assert first["送达确认时间"] == datetime.datetime(2026, 11, 3, 15, 0)
    assert first["评价时间"] == datetime.datetime(2026, 11, 4, 8, 0)
    assert first["评分"] == 5
    assert first["评价"] == "送餐准时，饭菜可口"
    assert rows[1]["送达确认时间"] is None
    assert rows[0]["状态"] == "已取消"


def test_a_title_that_looks_like_a_formula_is_exported_as_text(client, community_admin, orders):
    client.force_login(community_admin)

    sheet = sheet_of(client.get(reverse("admin:services_order_export_excel")))

    cell = sheet.cell(row=3, column=2)  # the accepted order's 服务项目
    assert cell.value == '=HYPERLINK("http://x","点我")'
    assert cell.data_type == "s"
    assert cell.quotePrefix


def test_the_export_follows_the_lists_filters_and_search(client, community_admin, orders):
    rated, accepted, _cancelled, _elsewhere = orders
    client.force_login(community_admin)
    url = reverse("admin:services_order_export_excel")

    by_status = rows_of(sheet_of(client.get(url, {"status__exact": "accepted"})))
    by_search = rows_of(sheet_of(client.get(url, {"q": "HYPERLINK", "p": "3"})))  # the page is not a filter
    by_date = rows_of(
        sheet_of(
            client.get(
                url, {"submitted_at__gte": "2026-11-01 00:00:00+08:00", "submitted_at__lt": "2026-11-03 00:00:00+08:00"}
            )
        )
    )

    assert [r["编号"] for r in by_status] == [accepted.pk]
    assert [r["编号"] for r in by_search] == [accepted.pk]
    assert [r["编号"] for r in by_date] == [rated.pk]


def test_the_change_list_offers_the_export_with_its_filters(client, community_admin, orders):
    client.force_login(community_admin)

    page = client.get(reverse("admin:services_order_changelist"), {"status__exact": "rated"}).content.decode()

    assert "导出Excel" in page
    assert reverse("admin:services_order_export_excel") + "?status__exact=rated" in page
    assert "导出所选到Excel" in page


def test_selected_rows_are_exported_by_the_action(client, community_admin, orders):
    rated, accepted, _cancelled, elsewhere = orders
    client.force_login(community_admin)

    response = client.post(
        reverse("admin:services_order_changelist"),
        {"action": "export_excel", "_selected_action": [rated.pk, elsewhere.pk]},
    )

    assert [r["编号"] for r in rows_of(sheet_of(response))] == [rated.pk]


def test_a_street_admin_exports_both_communities(client, street_admin, orders):
    client.force_login(street_admin)

    rows = rows_of(sheet_of(client.get(reverse("admin:services_order_export_excel"))))

    assert len(rows) == 4


def test_a_bad_filter_is_a_400_not_a_500(client, community_admin, orders):
    client.force_login(community_admin)
    url = reverse("admin:services_order_export_excel")

    assert client.get(url, {"status__exact": "x" * 3000}).status_code == 400
    assert client.get(url, {"nope__gt": "1"}).status_code == 400


def test_orders_export_runs_the_same_queries_for_two_and_eight_orders(client, community_admin, community, unit):
    client.force_login(community_admin)
    url = reverse("admin:services_order_export_excel")
    resident = ResidentFactory(grid_node=community)

    def queries(n: int) -> int:
        OrderFactory.create_batch(n, resident=resident, unit=unit, menu_item=MenuItemFactory(provider_unit=unit))
        client.get(url)  # warm: session, content types
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert len(rows_of(sheet_of(response))) == Order.objects.count()
        return len(captured)

    assert queries(2) == queries(6)


# --- issues -----------------------------------------------------------------------------------------


@pytest.fixture
def issues(community, other_community, grid_worker):
    """Two issues of 舜园社区, one moved through every stage and rated; one of 舜华社区."""
    done = IssueFactory(
        title="楼道堆放杂物",
        reporter=ResidentFactory(grid_node=community),
        status="evaluated",
        level=2,
        handler=grid_worker,
        reported_at=at(2, 8),
        step_started_at=at(4, 9),
        rated_at=at(5, 10),
        rating=4,
        rating_comment="处理及时",
    )
    for status, when in (("consulting", at(2, 9)), ("handling", at(3, 9)), ("feedback", at(4, 9))):
        IssueEvent.objects.create(issue=done, kind="moved", status=status, level=2, by=grid_worker, at=when)
    IssueEvent.objects.create(issue=done, kind="escalated", status="feedback", level=3, by=grid_worker, at=at(4, 10))
    fresh = IssueFactory(
        title="+路灯不亮",
        reporter=ResidentFactory(grid_node=community),
        reported_at=at(6, 20),
        step_started_at=at(6, 20),
    )
    elsewhere = IssueFactory(reporter=ResidentFactory(grid_node=other_community), reported_at=at(7, 8))
    return done, fresh, elsewhere


def test_issues_export_has_stage_times_level_and_rating(client, community_admin, issues):
    done, fresh, elsewhere = issues
    client.force_login(community_admin)

    response = client.get(reverse("admin:services_issue_export_excel"))

    sheet = sheet_of(response)
    assert sheet.title == "居民说事"
    rows = rows_of(sheet)
    assert [r["编号"] for r in rows] == [fresh.pk, done.pk]
    row = rows[1]
    assert row["当前环节"] == "评价"
    assert row["办理层级"] == "社区"
    assert row["承办人"] == str(done.handler)
    assert row["发现（反映）时间"] == datetime.datetime(2026, 11, 2, 8, 0)
    assert row["会商时间"] == datetime.datetime(2026, 11, 2, 9, 0)
    assert row["处置时间"] == datetime.datetime(2026, 11, 3, 9, 0)
    assert row["反馈时间"] == datetime.datetime(2026, 11, 4, 9, 0)
    assert row["评价时间"] == datetime.datetime(2026, 11, 5, 10, 0)
    assert row["满意度"] == 4
    assert row["评价意见"] == "处理及时"
    assert rows[0]["会商时间"] is None
    # "+路灯不亮" stays text.
    title = sheet.cell(row=2, column=2)
    assert (title.value, title.data_type, title.quotePrefix) == ("+路灯不亮", "s", True)


def test_issues_export_runs_the_same_queries_for_two_and_six_issues(client, community_admin, community, grid_worker):
    client.force_login(community_admin)
    url = reverse("admin:services_issue_export_excel")

    def queries(n: int) -> int:
        for issue in IssueFactory.create_batch(n, reporter=ResidentFactory(grid_node=community), handler=grid_worker):
            IssueEvent.objects.create(issue=issue, kind="moved", status="consulting", level=2, at=timezone.now())
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert all(r["会商时间"] for r in rows_of(sheet_of(response)))
        return len(captured)

    assert queries(2) == queries(6)


# --- bookings, activities, sign-ups ------------------------------------------------------------------


def test_bookings_and_activities_are_exported_within_the_community(client, community_admin, community, other_community):
    room = RoomFactory(station__grid_node=community, name="议事厅")
    mine = BookingFactory(room=room, purpose="楼组议事会")
    BookingFactory(room=RoomFactory(station__grid_node=other_community))
    activity = ActivityFactory(grid_node=community, title="重阳节义诊")
    ActivityFactory(grid_node=other_community)
    for resident in ResidentFactory.create_batch(2, grid_node=community):
        ActivitySignup.objects.create(activity=activity, user=resident, signed_up_at=timezone.now())
    client.force_login(community_admin)

    bookings = sheet_of(client.get(reverse("admin:services_booking_export_excel")))
    activities = sheet_of(client.get(reverse("admin:services_activity_export_excel")))
    signups = sheet_of(
        client.post(
            reverse("admin:services_activity_changelist"),
            {"action": "export_signups", "_selected_action": [activity.pk]},
        )
    )

    assert bookings.title == "空间预约"
    assert [(r["空间"], r["用途"], r["状态"]) for r in rows_of(bookings)] == [("议事厅", "楼组议事会", "已确认")]
    assert rows_of(bookings)[0]["编号"] == mine.pk
    assert [(r["活动名称"], r["报名人数"]) for r in rows_of(activities)] == [("重阳节义诊", 2)]
    assert signups.title == "活动报名"
    assert [(r["活动"], r["状态"]) for r in rows_of(signups)] == [("重阳节义诊", "已报名")] * 2
