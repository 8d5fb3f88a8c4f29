"""Searching names in Chinese with an index: a GIN index over the single characters and pairs of characters of a
row's searched columns, and the admin's search that uses it.

Why not pg_trgm: its GIN index helps ``LIKE '%王芳%'`` only from three characters on (two-character names are the
common case), and under the databases' ``C.UTF-8`` locale it does not count Chinese characters as word characters
at all, so a Chinese trigram never reaches the index. This is the same idea one step shorter: the database
function ``search_grams(col, ...)`` (IMMUTABLE, created by core's migration 0010) gives the set of single
characters and character pairs of the columns' upper-cased text; each searched table has one GIN expression index
on it (the apps' migrations, ``gram_index``). A term's own set (``search_query_grams``: the character for a
one-character term, else its first 32 pairs: a few pairs narrow as well as all of them, and a pasted page does not
become a GIN search of thousands of keys) is contained (``@>``) in the set of every
row that contains the term, so the index finds a superset of the rows, and the real ``icontains`` then keeps exactly
Django's semantics (upper-cased on both sides, as Django's own ``icontains`` is on PostgreSQL).

One index covers all of a table's own searched columns (the columns joined by a space): a term found in any one of
them is found in their join, so the index narrows, and the per-column ``icontains`` decides. Columns of related
rows (``unit__name``) are searched through their own table's index, as a ``UNION`` the outer query joins on the
primary key, so every branch of the search uses an index (an ``OR`` across joined tables cannot).

On another database (SQLite for ``make run`` without settings) nothing here changes the plain search.
"""

from functools import reduce
from operator import or_

from django.db import connection, migrations
from django.db.models import BooleanField, F, Func, Q, QuerySet, Value
from django.utils.text import smart_split, unescape_string_literal


class PostgresSQL(migrations.RunSQL):
    """RunSQL on PostgreSQL only: on SQLite the search stays the plain one."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def gram_index(table: str, name: str, columns: tuple[str, ...]) -> PostgresSQL:
    """The migration operation that adds the gram index of ``columns`` of ``table`` (their order matters: the
    search's ``columns`` must name them in the same order, so the index's expression is the query's)."""
    cols = ", ".join(f'"{c}"' for c in columns)
    # fastupdate off: a row's grams go into the index when it is written, so a search never reads through a
    # pending list of bulk-inserted rows (seed_city's 100,000 party members made every search 30 ms slower).
    # Tables that residents write all day take a short pending list instead (``short_pending_list``).
    return PostgresSQL(
        f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin (search_grams({cols})) WITH (fastupdate = off)',
        f'DROP INDEX IF EXISTS "{name}"',
    )


# The pending list of a gram index written on every order and issue (kB): its grams are merged into the index
# in batches of this size, by the write that fills it (or autovacuum). One issue's title, text and place give
# some 50 grams: inserted one by one into the index's tree they cost 0.42 ms of the database's time per issue,
# merged in batches 0.25 ms (2,000 issues of the city, one by one, each way); a search reads at most these
# 256 kB (32 pages) beside the index.
PENDING_LIST_KB = 256


def short_pending_list(name: str) -> PostgresSQL:
    """The migration operation that gives the gram index ``name`` a pending list of ``PENDING_LIST_KB``."""
    return PostgresSQL(
        f'ALTER INDEX "{name}" SET (fastupdate = on, gin_pending_list_limit = {PENDING_LIST_KB})',
        f'ALTER INDEX "{name}" SET (fastupdate = off); ALTER INDEX "{name}" RESET (gin_pending_list_limit)',
    )


class GramsMatch(Func):
    """``search_grams(<columns>) @> search_query_grams(<term>)``: true for every row that contains the term (and a
    few more), found through the gram index of exactly these columns."""

    output_field = BooleanField()

    def __init__(self, columns, term: str):
        super().__init__(*(F(c) for c in columns), Value(term))

    def as_sql(self, compiler, connection, **extra_context):
        parts, params = [], []
        for expression in self.source_expressions:
            sql, p = compiler.compile(expression)
            parts.append(sql)
            params.extend(p)
        return f"search_grams({', '.join(parts[:-1])}) @> search_query_grams({parts[-1]})", params


def uses_grams() -> bool:
    return connection.vendor == "postgresql"


def contains_q(columns, term: str) -> Q:
    """Rows of which one of ``columns`` contains ``term``, case-insensitively (Django's ``icontains``)."""
    return reduce(or_, (Q(**{f"{c}__icontains": term}) for c in columns))


def matching(queryset: QuerySet, index: tuple[str, ...] | None, term: str, columns=None) -> QuerySet:
    """The rows of ``queryset`` of which one of ``columns`` (default: ``index``) contains ``term``: exactly
    ``icontains``, found through the gram index of the model's columns ``index`` (in the index's order; the columns
    searched are some of them). ``index=None``: a small table, searched plainly."""
    columns = columns or index
    if index is None or not uses_grams():
        return queryset.filter(contains_q(columns, term))
    return queryset.filter(GramsMatch(index, term), contains_q(columns, term))


class GramSearch:
    """How one model's admin search reads a term: its own ``columns`` through its gram index ``index`` (default:
    the columns), and ``related`` searches ``(foreign key, related model, its index or None, its columns)``
    through the related table's own index. The result is Django's: a row whose own or related column contains
    every term (each term in one of them), case-insensitively."""

    def __init__(self, columns: tuple[str, ...], index: tuple[str, ...] | None = None, related: tuple = ()):
        self.columns = columns
        self.index = index or columns
        self.related = related

    def filter(self, queryset: QuerySet, terms: list[str]) -> QuerySet:
        model = queryset.model
        for term in terms:
            if not self.related:
                queryset = matching(queryset, self.index, term, self.columns)
                continue
            # One subquery the outer list joins on its key: the own rows by their index, united with the rows whose
            # related row matches (by the related table's index, then the foreign key's index).
            related = []
            for fk, other, index, cols in self.related:
                found = matching(other._default_manager.order_by(), index, term, cols).values("pk")
                if index is None:
                    # A small table (skills): its matches read first, as a list the planner can count. As a
                    # subquery PostgreSQL guessed a skill's 1,800 members and scanned the city's party members for
                    # every search (11 ms for one row).
                    ids = list(found.values_list("pk", flat=True))
                    if not ids:
                        continue
                    lookup: dict[str, object] = {f"{fk}__in": ids}
                else:
                    lookup = {f"{fk}__in": found}
                related.append(model._default_manager.order_by().filter(**lookup).values("pk"))
            # Without columns of its own (points entries) only the related rows are searched.
            if self.columns:
                related.insert(
                    0, matching(model._default_manager.order_by(), self.index, term, self.columns).values("pk")
                )
            if not related:
                queryset = queryset.none()
                continue
            queryset = queryset.filter(pk__in=related[0].union(*related[1:]))
        return queryset


def search_terms(search_term: str) -> list[str]:
    """The words of a search box (as Django's admin splits them: quotes keep a phrase), at most a few, each bounded."""
    terms = []
    for bit in smart_split(search_term or ""):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1] and len(bit) > 1:
            bit = unescape_string_literal(bit)
        bit = bit.strip()
        if bit:
            terms.append(bit[:100])
    return terms[:5]


class GramSearchAdmin:
    """Mixed into a ModelAdmin (before ``ScopedAdmin``): its search box goes through ``gram_search``. The list's
    ``search_fields`` stays what Django shows (the search box appears when it is set)."""

    gram_search: GramSearch | None = None

    def get_search_results(self, request, queryset, search_term):
        if self.gram_search is None:
            return super().get_search_results(request, queryset, search_term)
        terms = search_terms(search_term)
        if not terms:
            return queryset, False
        return self.gram_search.filter(queryset, terms), False
