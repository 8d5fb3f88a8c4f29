"""Points moved from members to their own app: the migrations keep every row, both ways.

Rows written at today's state are migrated back to before the move (members' tables, members' content
types), then forward again through members.0007 / points.0001 / points.0002 as an existing database is.
"""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from alliance.points.models import PointsEntry, PointsRanking, PointsRule, ServiceHoursTarget
from tests.members.factories import PartyMemberFactory
from tests.points.factories import PointsEntryFactory

BEFORE_THE_MOVE = [("members", "0006_unit_logo")]


def _count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - the table names are this test's own
        return cursor.fetchone()[0]


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    ContentType.objects.clear_cache()


@pytest.mark.slow  # the whole schema migrated back and forth: minutes
@pytest.mark.django_db(transaction=True)
def test_the_move_keeps_every_row_and_content_type(community, street, superuser):
    entry = PointsEntryFactory(member=PartyMemberFactory(community=community), points=7)
    ranking = PointsRanking.objects.create(street=street, year=2026, month=3)
    ServiceHoursTarget.objects.create(street=street, year=2026, hours=24)
    PointsRule.objects.filter(kind="order_rated").update(points=9)  # an admin's edit
    entry_type = ContentType.objects.get_for_model(PointsEntry)
    LogEntry.objects.create(
        user=superuser, content_type=entry_type, object_id=str(entry.pk), object_repr="x", action_flag=CHANGE
    )
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()

    _migrate(BEFORE_THE_MOVE)
    try:
        assert _count("members_pointsentry") == 1
        assert _count("members_historicalpointsentry") == 1
        assert _count("members_pointsranking") == 1
        assert _count("members_pointsrule") == 6
        assert ContentType.objects.get(pk=entry_type.pk).app_label == "members"
    finally:
        _migrate(leaves)

    assert PointsEntry.objects.get().points == 7
    assert PointsEntry.history.count() == 1
    assert PointsRanking.objects.get().pk == ranking.pk
    assert ServiceHoursTarget.objects.get().hours == 24
    assert PointsRule.objects.get(kind="order_rated").points == 9
    assert ContentType.objects.get(pk=entry_type.pk).app_label == "points"
    assert not ContentType.objects.filter(app_label="members", model__startswith="points").exists()
    assert Permission.objects.get(codename="change_pointsentry").content_type_id == entry_type.pk
    assert LogEntry.objects.get().get_edited_object() == entry
    # the renamed table's id sequence goes on where it was
    assert PointsEntryFactory(member=entry.member).pk > entry.pk
