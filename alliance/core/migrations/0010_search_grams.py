"""The gram functions of the Chinese name search (alliance.core.search): the apps' gram indexes are built on them.

``search_grams(col, ...)``: the distinct single characters and character pairs of the columns' text joined by a
space, upper-cased (Django's ``icontains`` compares upper-cased text). ``search_query_grams(term)``: the term's one
character, or its first 32 pairs. Both IMMUTABLE, so an index can be built on the first and the planner folds the
second into a constant.
"""

from django.db import migrations

from alliance.core.search import PostgresSQL

FUNCTIONS = """
CREATE OR REPLACE FUNCTION search_grams(VARIADIC parts text[]) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT substr(t, i, n)), '{}'::text[])
  FROM (SELECT upper(array_to_string(parts, ' ')) AS t) s,
       generate_series(1, char_length(t)) AS i, (VALUES (1), (2)) AS k(n)
  WHERE i + n - 1 <= char_length(t)
$$;
CREATE OR REPLACE FUNCTION search_query_grams(q text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN char_length(u) <= 1 THEN array_remove(ARRAY[u], '')
         ELSE (SELECT array_agg(DISTINCT substr(u, i, 2))
               FROM generate_series(1, least(char_length(u) - 1, 32)) AS i) END
  FROM (SELECT upper(coalesce(q, '')) AS u) s
$$;
"""
DROP = "DROP FUNCTION IF EXISTS search_query_grams(text); DROP FUNCTION IF EXISTS search_grams(text[]);"


class Migration(migrations.Migration):
    dependencies = [("core", "0009_export_language")]

    operations = [PostgresSQL(FUNCTIONS, DROP)]
