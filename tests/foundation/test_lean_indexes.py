"""Every order, issue, claim and booking a resident or unit submits writes each of its table's indexes, and its
history's: none of them is only the first column of another (a composite index finds rows by its first column as
well), and the history is indexed only by what reads it (alliance.core.history.IndexedOnly)."""

import pytest
from django.db import connection

from projects.models import Claim
from services.models import Booking, Issue, Order

INDEXES = """
SELECT c.relname, array_agg(a.attname ORDER BY k.n), i.indisunique, i.indpred IS NOT NULL
FROM pg_index i
JOIN pg_class c ON c.oid = i.indexrelid
CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k (attnum, n)
LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
WHERE i.indrelid = %s::regclass
GROUP BY c.relname, i.indisunique, i.indpred
"""


@pytest.mark.django_db
@pytest.mark.parametrize("model", [Order, Issue, Claim, Booking])
def test_no_index_is_the_head_of_another(model):
    with connection.cursor() as cursor:
        cursor.execute(INDEXES, [model._meta.db_table])
        indexes = cursor.fetchall()
    full = [(name, columns) for name, columns, _unique, partial in indexes if not partial and None not in columns]
    redundant = [
        (name, other)
        for name, columns, unique, partial in indexes
        if not unique and not partial
        for other, longer in full
        if other != name and len(longer) > len(columns) and longer[: len(columns)] == columns
    ]
    assert redundant == []
    assert len(full) >= 5  # the query reads the table's indexes (an empty answer would pass above)


def _indexed_columns(table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(INDEXES, [table])
        return {columns[0] for _name, columns, _unique, _partial in cursor.fetchall()}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "person"),
    [(Order, {"resident_id"}), (Issue, {"reporter_id"}), (Claim, set()), (Booking, set())],
)
def test_the_history_is_indexed_by_its_row_date_and_user_and_the_person_the_privacy_erase_looks_up(model, person):
    history = model.history.model._meta.db_table
    assert _indexed_columns(history) == {"history_id", "id", "history_date", "history_user_id", *person}
    # The history still copies every foreign key it no longer indexes.
    copied = {f.column for f in model.history.model._meta.concrete_fields}
    assert {f.column for f in model._meta.concrete_fields if f.is_relation and f.name != "street"} <= copied
