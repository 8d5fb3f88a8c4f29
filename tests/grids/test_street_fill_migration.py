"""The migrations that give orders, issues (services.0017) and member units (members.0013) their street column fill
it from each row's grid node (grids.migration_ops.fill_streets): rows written before the column exist have their
street once an existing database is migrated forward."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from members.models import MemberUnit
from services.models import Issue, Order
from tests.grids.factories import CommunityFactory, MicroGridFactory, StreetFactory
from tests.members.factories import MemberUnitFactory, ResidentFactory
from tests.services.factories import IssueFactory, OrderFactory

BEFORE_THE_COLUMNS = [("services", "0016_search_grams"), ("members", "0012_partymember_name_order")]


def _migrate(targets) -> None:
    MigrationExecutor(connection).migrate(targets)


@pytest.mark.slow  # the whole schema migrated back and forth: minutes
@pytest.mark.django_db(transaction=True)
def test_migrating_forward_fills_each_rows_street_from_its_grid_node():
    east, west = StreetFactory(name="舜玉路街道"), StreetFactory(name="西站街道")
    micro = MicroGridFactory(parent=CommunityFactory(parent=east))
    far = CommunityFactory(parent=west)
    order = OrderFactory(resident=ResidentFactory(grid_node=micro))
    issue = IssueFactory(reporter=ResidentFactory(grid_node=far))
    units = [MemberUnitFactory(grid_node=micro), MemberUnitFactory(grid_node=far), MemberUnitFactory(grid_node=west)]
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()

    _migrate(BEFORE_THE_COLUMNS)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM information_schema.columns WHERE column_name = 'street_id' "
                "AND table_name IN ('services_order', 'services_issue', 'members_memberunit')"
            )
            assert cursor.fetchone()[0] == 0
    finally:
        _migrate(leaves)

    assert Order.objects.get(pk=order.pk).street_id == east.pk
    assert Issue.objects.get(pk=issue.pk).street_id == west.pk
    assert [MemberUnit.objects.get(pk=u.pk).street_id for u in units] == [east.pk, west.pk, west.pk]
