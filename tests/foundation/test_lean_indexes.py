"""Every order, issue and claim a resident or unit submits writes each of its table's indexes: none of them is only
the first column of another (a composite index finds rows by its first column as well)."""

import pytest
from django.db import connection

from projects.models import Claim
from services.models import Issue, Order

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
@pytest.mark.parametrize("model", [Order, Issue, Claim])
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
