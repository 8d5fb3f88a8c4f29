"""``search_grams`` in PL/pgSQL: the same grams as 0010, in half the time.

Written in SQL it could not be inlined (an aggregate over a join), so each call went through PostgreSQL's SQL-function
executor, which plans its body again for every statement that calls it: some 0.2 ms for each row an INSERT writes into
a table with a gram index (an issue, an order, a unit …). PL/pgSQL keeps the plan for the life of the connection:
0.11 ms against 0.22 ms a call with one row a statement (pgbench), 72 µs against 187 µs a row over 20,000 issues.
Its results are the old function's, row for row (compared over the 205,000 issues of the city seed), so the indexes
built on it stay valid. Going back runs 0010's functions again.
"""

from importlib import import_module

from django.db import migrations

from alliance.core.search import PostgresSQL

PLPGSQL = """
CREATE OR REPLACE FUNCTION search_grams(VARIADIC parts text[]) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  t text := upper(array_to_string(parts, ' '));
  n int := char_length(t);
BEGIN
  RETURN coalesce((SELECT array_agg(DISTINCT substr(t, i, k))
                   FROM generate_series(1, n) AS i, (VALUES (1), (2)) AS v(k)
                   WHERE i + k - 1 <= n), '{}'::text[]);
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("core", "0012_lean_notification_indexes")]

    operations = [PostgresSQL(PLPGSQL, import_module("alliance.core.migrations.0010_search_grams").FUNCTIONS)]
