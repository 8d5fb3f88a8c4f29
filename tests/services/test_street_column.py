"""Orders, issues and member units keep their grid node's street beside it (grids.models.KeepsStreet), and a street admin's
lists find them by it (alliance.core.scoping.by_street_column: the admin's change lists, the API, the workspace):
placed, reported, bulk-made, moved to another grid, or carried along when their community moves to another street,
a row is in its street's list and no other."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from grids.models import GridNode
from members.models import MemberUnit
from services import actions
from services.models import Issue, Order
from tests.grids.factories import CommunityFactory, MicroGridFactory, StreetFactory
from tests.members.factories import CommunityAdminFactory, MemberUnitFactory, ResidentFactory, StreetAdminFactory
from tests.services.factories import IssueFactory, MenuItemFactory, OrderFactory
from tests.services.test_api import api

pytestmark = pytest.mark.django_db

ORDERS = reverse("admin:services_order_changelist")
ISSUES = reverse("admin:services_issue_changelist")


@pytest.fixture
def two_streets():
    east, west = StreetFactory(name="舜玉路街道"), StreetFactory(name="西站街道")
    return east, CommunityFactory(parent=east, name="舜园社区"), west, CommunityFactory(parent=west, name="西站社区")


def _links(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_placed_order_and_a_reported_issue_keep_their_street(two_streets):
    east, community, _west, _ = two_streets
    micro = MicroGridFactory(parent=community)
    resident = ResidentFactory(grid_node=micro)
    item = MenuItemFactory(grid_scope=east)
    order = actions.submit_order(by=resident, menu_item=item, text="上门理发")
    issue = actions.report_issue(by=resident, title="路灯不亮", text="小区东门路灯坏了三天。")
    assert Order.objects.get(pk=order.pk).street_id == east.pk
    assert Issue.objects.get(pk=issue.pk).street_id == east.pk
    # An order in the street's own node, too.
    assert OrderFactory(resident=ResidentFactory(grid_node=east)).street_id == east.pk


def test_rows_made_in_bulk_get_their_streets_in_one_query(two_streets):
    east, community, west, far = two_streets
    residents = [ResidentFactory(grid_node=node) for node in (community, far, east)]
    item = MenuItemFactory()
    rows = [
        Order(resident=r, menu_item=item, category=item.category, grid_node_id=r.grid_node_id, submitted_at=timezone.now())
        for r in residents
    ]
    with CaptureQueriesContext(connection) as queries:
        Order.objects.bulk_create(rows)
    assert sum("grids_gridnode" in q["sql"] for q in queries.captured_queries) == 1
    assert [o.street_id for o in Order.objects.filter(pk__in=[o.pk for o in rows]).order_by("pk")] == [
        east.pk,
        west.pk,
        east.pk,
    ]


def test_a_row_moved_to_another_grid_moves_street(client, two_streets):
    east, community, west, far = two_streets
    order = OrderFactory(resident=ResidentFactory(grid_node=community))
    issue = IssueFactory(reporter=ResidentFactory(grid_node=community))
    order.grid_node = far
    order.save(update_fields=["grid_node"])
    issue.grid_node_id = far.pk  # by id alone: the street is read for it
    issue.save()
    assert Order.objects.get(pk=order.pk).street_id == west.pk
    assert Issue.objects.get(pk=issue.pk).street_id == west.pk
    client.force_login(StreetAdminFactory(grid_node=west))
    assert f"/{order.pk}/change/" in _links(client, ORDERS)
    assert f"/{issue.pk}/change/" in _links(client, ISSUES)
    client.force_login(StreetAdminFactory(grid_node=east))
    assert f"/{order.pk}/change/" not in _links(client, ORDERS)
    assert f"/{issue.pk}/change/" not in _links(client, ISSUES)


def test_a_community_moved_to_another_street_takes_its_rows_along(client, two_streets):
    east, community, west, far = two_streets
    micro = MicroGridFactory(parent=community)
    orders = [OrderFactory(resident=ResidentFactory(grid_node=node)) for node in (community, micro)]
    issues = [IssueFactory(reporter=ResidentFactory(grid_node=node)) for node in (community, micro)]
    stays = OrderFactory(resident=ResidentFactory(grid_node=east))
    community.parent = west
    community.save()
    assert GridNode.objects.get(pk=micro.pk).street_id == west.pk
    assert {o.street_id for o in Order.objects.filter(pk__in=[o.pk for o in orders])} == {west.pk}
    assert {i.street_id for i in Issue.objects.filter(pk__in=[i.pk for i in issues])} == {west.pk}
    assert Order.objects.get(pk=stays.pk).street_id == east.pk
    client.force_login(StreetAdminFactory(grid_node=west))
    page = _links(client, ORDERS)
    assert all(f"/{o.pk}/change/" in page for o in orders)
    assert f"/{stays.pk}/change/" not in page
    client.force_login(StreetAdminFactory(grid_node=east))
    page = _links(client, ORDERS)
    assert f"/{stays.pk}/change/" in page
    assert not any(f"/{o.pk}/change/" in page for o in orders)
    # A community's admin still finds its rows by its nodes.
    client.force_login(CommunityAdminFactory(grid_node=community))
    assert all(f"/{i.pk}/change/" in _links(client, ISSUES) for i in issues)


def test_a_street_admins_list_reads_the_street_column(client, two_streets):
    east, community, _west, far = two_streets
    mine, theirs = OrderFactory(resident=ResidentFactory(grid_node=community)), OrderFactory(
        resident=ResidentFactory(grid_node=far)
    )
    client.force_login(StreetAdminFactory(grid_node=east))
    with CaptureQueriesContext(connection) as queries:
        page = _links(client, ORDERS)
    assert f"/{mine.pk}/change/" in page and f"/{theirs.pk}/change/" not in page
    listed = [q["sql"] for q in queries.captured_queries if 'FROM "services_order"' in q["sql"]]
    assert listed and all(f'"services_order"."street_id" = {east.pk}' in sql for sql in listed)
    # No ids of the street's nodes read for it.
    assert not any('"grids_gridnode"."path"::text LIKE' in q["sql"] for q in queries.captured_queries)


def test_a_street_admins_api_lists_read_the_street_column(two_streets):
    """scope_queryset (the API, the workspace, the exports) finds a street's orders and issues by the column too;
    a community's admin still by the subtree's path."""
    east, community, _west, far = two_streets
    near, away = ResidentFactory(grid_node=community), ResidentFactory(grid_node=far)
    mine, theirs = OrderFactory(resident=near), OrderFactory(resident=away)
    reported, elsewhere = IssueFactory(reporter=near, grid_node=community), IssueFactory(reporter=away, grid_node=far)
    street_admin = StreetAdminFactory(grid_node=east)
    for url, inside, outside in (("/api/v1/orders/", mine, theirs), ("/api/v1/issues/", reported, elsewhere)):
        with CaptureQueriesContext(connection) as queries:
            rows = api(street_admin).get(url).json()["results"]
        assert [r["id"] for r in rows] == [inside.pk]
        assert outside.pk not in [r["id"] for r in rows]
        sql = " ".join(q["sql"] for q in queries.captured_queries)
        assert f'"street_id" = {east.pk}' in sql and '"path"::text LIKE' not in sql
    community_admin = CommunityAdminFactory(grid_node=community)
    with CaptureQueriesContext(connection) as queries:
        assert [r["id"] for r in api(community_admin).get("/api/v1/orders/").json()["results"]] == [mine.pk]
    assert '"path"::text LIKE' in " ".join(q["sql"] for q in queries.captured_queries)


UNITS = reverse("admin:members_memberunit_changelist")


def test_member_units_keep_their_street_and_a_street_admin_lists_them_by_it(client, two_streets):
    """Units keep their street as orders do: a unit moved to another street's grid moves with it, and a street
    admin's list of units (plain and by kind) reads the column, not the ids of the street's nodes."""
    east, community, west, far = two_streets
    mine = MemberUnitFactory(grid_node=community, kind=MemberUnit.Kind.PRIVATE_FIRM)
    theirs = MemberUnitFactory(grid_node=far, kind=MemberUnit.Kind.PRIVATE_FIRM)
    moved = MemberUnitFactory(grid_node=far, kind=MemberUnit.Kind.SCHOOL)
    assert (MemberUnit.objects.get(pk=mine.pk).street_id, theirs.street_id) == (east.pk, west.pk)
    moved.grid_node = MicroGridFactory(parent=community)
    moved.save()
    assert MemberUnit.objects.get(pk=moved.pk).street_id == east.pk
    client.force_login(StreetAdminFactory(grid_node=east))
    for query, shown in (("", {mine, moved}), ("?kind__exact=private_firm", {mine})):
        with CaptureQueriesContext(connection) as queries:
            page = _links(client, UNITS + query)
        for unit in (mine, theirs, moved):
            assert (f"/{unit.pk}/change/" in page) == (unit in shown), (query, unit.name)
        listed = [q["sql"] for q in queries.captured_queries if 'FROM "members_memberunit"' in q["sql"]]
        assert listed and all(f'"members_memberunit"."street_id" = {east.pk}' in sql for sql in listed)
        # Neither the ids of the street's nodes nor their paths (the grid filter beside the list still reads them).
        assert not any('"grid_node_id" IN (' in sql or "::text LIKE" in sql for sql in listed)
