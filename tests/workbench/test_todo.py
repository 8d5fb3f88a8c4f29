"""今日待办: the admin's first page counts what waits in the viewer's subtree, links each line to exactly its
rows, offers the workflow's buttons, and runs a fixed number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliance.core.cache import forget_all
from alliance.site.workbench import SHOWN, todo_lines
from services.models import Booking, Order
from tests.workbench.conftest import ONE_COMMUNITY, Place, fill

pytestmark = pytest.mark.django_db


def lines_of(client, user) -> dict:
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return {line.key: line for line in response.context["todo"]}


def counts(lines: dict) -> dict:
    return {key: (line.count, line.overdue) for key, line in lines.items()}


def test_a_community_admin_counts_only_their_community(client, district, community_admin):
    lines = lines_of(client, community_admin)

    assert counts(lines) == ONE_COMMUNITY


def test_a_street_admin_counts_both_communities_and_the_street_but_not_another_street(client, district, street_admin):
    lines = lines_of(client, street_admin)

    expected = {
        key: (count * 2, late * 2 if late is not None else None) for key, (count, late) in ONE_COMMUNITY.items()
    }
    expected["meetings_without_minutes"] = (3, None)  # the street committee's own meeting too
    assert counts(lines) == expected


def test_a_superuser_counts_the_whole_district(client, district, superuser):
    lines = lines_of(client, superuser)

    assert lines["orders_to_accept"].count == 9
    assert lines["deliveries_failed"].count >= 3


@pytest.mark.parametrize("who", ["community_admin", "street_admin"])
def test_each_line_opens_the_change_list_of_exactly_its_rows(client, district, who, request):
    user = request.getfixturevalue(who)
    lines = lines_of(client, user)

    for line in lines.values():
        response = client.get(line.url)
        assert response.status_code == 200, line.url
        assert response.context["cl"].result_count == line.count, line.key
        if line.overdue is not None:
            response = client.get(line.overdue_url)
            assert response.context["cl"].result_count == line.overdue, line.key


def test_the_lines_come_in_the_order_of_the_work_and_past_limits_first(client, district, community_admin):
    page = lines_of(client, community_admin)
    keys = list(page)

    assert keys[:2] == ["orders_to_accept", "orders_to_confirm"]
    assert keys.index("issues_discovered") < keys.index("claims_to_decide") < keys.index("meetings_without_minutes")
    assert keys[-1] == "deliveries_failed"
    to_accept = page["orders_to_accept"].items
    assert [item.late for item in to_accept] == [True, True, False]
    assert to_accept[0].countdown.startswith("已超时")
    assert to_accept[2].countdown.startswith("还剩")


def test_rows_carry_the_workflows_buttons_to_its_confirmation_pages(client, district, community_admin):
    page = lines_of(client, community_admin)

    order = page["orders_to_accept"].items[0]
    labels = [label for label, _url in order.buttons]
    assert labels == ["接单", "婉拒"]
    decline = order.buttons[1][1]
    assert re.fullmatch(r"/admin/services/order/\d+/transition/decline/\?next=%2Fadmin%2F", decline)
    confirm = client.get(decline)
    assert confirm.status_code == 200
    assert "婉拒理由" in confirm.content.decode()  # the workflow's reason, asked on the confirmation page

    issue_buttons = [label for label, _url in page["issues_discovered"].items[0].buttons]
    assert issue_buttons == ["推进到下一环节", "上报上一级", "提交大工委"]
    assert [label for label, _url in page["claims_to_decide"].items[0].buttons] == ["通过认领", "驳回认领"]
    assert page["deliveries_failed"].items[0].buttons == []  # a log: no transition


def test_a_confirmed_transition_comes_back_to_the_todo_page(client, district, community_admin):
    page = lines_of(client, community_admin)
    issue = page["issues_discovered"].items[0].obj
    move_on = dict(page["issues_discovered"].items[0].buttons)["推进到下一环节"]

    response = client.post(move_on, {"confirm": "yes", "next": "/admin/", "text": "已约物业现场查看"})

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    issue.refresh_from_db()
    assert issue.status == "consulting"
    assert counts(lines_of(client, community_admin))["issues_discovered"] == (0, 0)


def test_a_next_outside_the_site_is_ignored(client, district, community_admin):
    page = lines_of(client, community_admin)
    move_on = page["issues_discovered"].items[0].buttons[0][1].split("?")[0]

    response = client.post(move_on, {"confirm": "yes", "next": "https://example.com/", "text": ""})

    assert response["Location"].startswith("/admin/services/issue/")


def test_a_todo_value_that_names_no_line_leaves_the_list_as_it_is(client, district, community_admin):
    client.force_login(community_admin)

    everything = client.get("/admin/services/order/").context["cl"].result_count
    response = client.get("/admin/services/order/?todo=" + "x" * 300)

    assert response.status_code == 200
    assert response.context["cl"].result_count == everything


def test_pending_bookings_carry_the_confirm_and_decline_buttons(client, district, community_admin):
    line = lines_of(client, community_admin)["bookings_to_confirm"]

    assert [label for label, _url in line.items[0].buttons][:2] == ["确认预约", "退回预约"]
    assert line.items[0].obj.status == Booking.Status.PENDING


def test_the_page_shows_at_most_a_few_rows_of_a_line_and_links_to_all(client, community, community_admin):
    place = Place(community)
    for _ in range(SHOWN + 2):
        place.order(late=True)
    client.force_login(community_admin)

    response = client.get("/admin/")

    line = {line.key: line for line in response.context["todo"]}["orders_to_accept"]
    assert (line.count, len(line.items)) == (SHOWN + 2, SHOWN)
    html = response.content.decode()
    assert f"查看全部 {SHOWN + 2} 件" in html
    assert "其中已超时 7 件" in html


def test_the_page_runs_the_same_queries_whatever_the_number_of_rows(client, community, community_admin):
    client.force_login(community_admin)
    place = Place(community)
    fill(place)
    client.get("/admin/")  # warm: the session, the content types

    forget_all()  # the lines built, not kept (alliance.site.workbench.kept_todo)
    with CaptureQueriesContext(connection) as few:
        client.get("/admin/")
    fill(place, extra=6)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/admin/")

    assert response.context["todo"][0].count == 12  # 3, then 7 late and 2 more
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]
    assert len(few) <= 3 * len(todo_lines()) + 10  # per line: its count, its overdue count, its first rows


def test_nothing_waiting_says_so_quietly(client, community_admin):
    client.force_login(community_admin)

    response = client.get("/admin/")

    assert all(line.count == 0 for line in response.context["todo"])
    assert "待接单的点单" in response.content.decode()
    assert Order.objects.count() == 0
