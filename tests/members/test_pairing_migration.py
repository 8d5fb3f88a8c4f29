"""Pairings became agreements (members.0009): an existing pairing keeps its free text as its unit's commitment
and its community as its scope."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from members.models import Pairing

BEFORE = [("members", "0008_full_width_punctuation")]


def _migrate(targets) -> None:
    MigrationExecutor(connection).migrate(targets)


@pytest.mark.slow  # the whole schema migrated back and forth: minutes
@pytest.mark.django_db(transaction=True)
def test_an_existing_pairings_text_becomes_its_units_commitment(unit, community):
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    _migrate(BEFORE)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO members_pairing (unit_id, community_id, starts_on, ends_on, services)"
                " VALUES (%s, %s, %s, %s, %s)",
                [unit.pk, community.pk, datetime.date(2024, 1, 1), None, "向社区开放场地、派出党员志愿者"],
            )
    finally:
        _migrate(leaves)
    pairing = Pairing.objects.get()
    assert pairing.grid_node == community and pairing.status == Pairing.Status.ACTIVE
    assert [(c.side, c.text) for c in pairing.commitments.all()] == [("unit", "向社区开放场地、派出党员志愿者")]
