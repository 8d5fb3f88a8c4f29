"""今日待办 kept for a few seconds (alliance.site.workbench.kept_todo): a second visit reads no waiting row again,
a save of a line's row shows on the next visit, each viewer keeps their own lines, the page says when it read
them, and building them runs the same queries whatever the number of rows, for a street admin and the superuser."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliance.core.cache import forget_all
from services.models import Order
from tests.workbench.conftest import Place, fill

pytestmark = pytest.mark.django_db

LINE_TABLES = ("services_order", "services_issue", "projects_claim", "alliance_meeting", "core_notificationdelivery")


def _line_queries(queries) -> list[str]:
    return [q["sql"][:120] for q in queries.captured_queries if any(t in q["sql"] for t in LINE_TABLES)]


def test_a_second_visit_reads_no_waiting_row_again_and_says_when_they_were_read(client, community, community_admin):
    fill(Place(community))
    client.force_login(community_admin)
    first = client.get("/admin/")

    with CaptureQueriesContext(connection) as again:
        second = client.get("/admin/")

    assert _line_queries(again) == []
    assert [(line.key, line.count) for line in second.context["todo"]] == [
        (line.key, line.count) for line in first.context["todo"]
    ]
    assert "数据更新于 " in second.content.decode()


def test_a_saved_row_shows_on_the_next_visit(client, community, community_admin):
    place = Place(community)
    fill(place)
    client.force_login(community_admin)
    before = {line.key: line.count for line in client.get("/admin/").context["todo"]}

    place.order(late=True)
    after = {line.key: line.count for line in client.get("/admin/").context["todo"]}

    assert after["orders_to_accept"] == before["orders_to_accept"] + 1


def test_each_viewer_keeps_their_own_lines(client, district, street_admin, community_admin, other_community_admin):
    counts = {}
    for user in (street_admin, community_admin, other_community_admin):
        client.force_login(user)
        counts[user] = {line.key: line.count for line in client.get("/admin/").context["todo"]}["orders_to_accept"]

    assert counts[street_admin] == counts[community_admin] + counts[other_community_admin]
    assert counts[community_admin] != 0


@pytest.mark.parametrize("who", ["street_admin", "superuser"])
def test_building_the_lines_runs_the_same_queries_whatever_the_number_of_rows(client, community, who, request):
    client.force_login(request.getfixturevalue(who))
    place = Place(community)
    fill(place)
    client.get("/admin/")  # warm: the session, the content types, the app list

    forget_all()  # built, not kept
    with CaptureQueriesContext(connection) as few:
        client.get("/admin/")
    fill(place, extra=6)
    forget_all()
    with CaptureQueriesContext(connection) as many:
        response = client.get("/admin/")

    assert {line.key: line.count for line in response.context["todo"]}["orders_to_accept"] == 12
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]
    assert Order.objects.count() > 12
