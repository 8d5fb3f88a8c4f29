"""The change lists of every admin (ScopedAdmin): the scope found by node ids, capped counts, the rows' links.

At city scale a change list is a page of 50 rows out of a million: these parts keep its cost that of the page, not
of the table (issue 19's admin bench, tests/bench/admin.py, measures them against the stock admin).
"""

import datetime
from urllib.parse import parse_qsl

from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import models
from django.db.models import F, Func, Lookup, QuerySet, Value
from django.db.models.expressions import OrderBy
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode

from alliance.core.scoping import by_street_column, scope_path, scope_queryset, sees_all


class CappedCountPaginator(Paginator):
    """Counts at most ``COUNT_CAP`` rows: a change list of a city's million orders does not count them all on
    every page. Past the cap the list says "10000+" (templates/admin/pagination.html) and pages through the
    first ``COUNT_CAP`` rows; filters and search narrow it down to everything else."""

    COUNT_CAP = 10_000

    @cached_property
    def count(self):
        if not isinstance(self.object_list, QuerySet):
            return len(self.object_list)
        # Count ids only: no ordering, no annotated columns.
        return self.object_list.order_by().values("pk")[: self.COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.COUNT_CAP

    in_area = False  # set by ScopedAdmin.get_paginator for a street's or community's list (scope_rows)

    def page(self, number):
        """A street's or community's page found in two steps, in one query: the page's ids by the list's order
        among the area's rows alone, then those rows with their joined columns. The page's bounds are Django's."""
        page = super().page(number)
        queryset = self.object_list
        if not (self.in_area and isinstance(queryset, QuerySet) and queryset.query.order_by and self.count):
            return page
        if queryset.query.distinct or queryset.query.combinator:
            return page
        ordering = sorted_in_area(list(queryset.query.order_by), queryset.model)
        ids = queryset.order_by(*ordering).values("pk")[page.start_index() - 1 : page.end_index()]
        page.object_list = queryset.filter(pk__in=ids)
        return page


class AnyOf(Lookup):
    """``column = ANY(%s)`` with the ids as one array parameter: the same rows and plan as ``column IN (…)``,
    which Django builds with one parameter per id (a street's 331 grid nodes, compiled three times a page: 7–8 %
    of a street admin's party member list in a profile)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        # One array literal ('{1,2,3}'), typed as the column is: psycopg2 would send ARRAY[1,2,3], one constant
        # for PostgreSQL to parse and cast per id, and an integer[] against a bigint column makes it plan the
        # street's party members 7× slower than the same list written out.
        ids = "{" + ",".join(str(int(pk)) for pk in self.rhs) + "}"
        return f"{lhs} = ANY(%s::{self.lhs.output_field.db_type(connection)}[])", [*lhs_params, ids]


def subtree_ids(request) -> list[int]:
    """The ids of the grid nodes in the user's subtree, read once per request (one query)."""
    if not hasattr(request, "_subtree_ids"):
        node = request.user.grid_node
        request._subtree_ids = list(
            type(node)._default_manager.filter(path__startswith=node.path).values_list("pk", flat=True)
        )
    return request._subtree_ids


def scope_rows(queryset: QuerySet, request) -> QuerySet:
    """``scope_queryset`` for the admin's lists: the same rows, found by their grid node's id among the subtree's.

    ``scope_queryset`` joins each row to its grid node and compares paths: at city scale a street admin's list of
    orders, newest first, then joins thousands of rows of other streets to throw them away. A list of node ids
    (a street's few hundred) is compared in the row itself: the count reads the grid node's index alone, and so
    does the page's first step (CappedCountPaginator.page). A model that keeps its street beside its node (orders,
    issues) is found by it for a street's admin, as ``scope_queryset`` does."""
    path = scope_path(queryset.model)
    user = request.user
    if (
        not path
        or sees_all(user)
        or getattr(user, "grid_node_id", None) is None
        or by_street_column(queryset.model, user)
    ):
        # A grid node itself, everything, nothing, or a street admin's rows by their street column (one index,
        # read in the list's order; the page is Django's, in one step).
        return scope_queryset(queryset, user)
    return queryset.filter(AnyOf(F(path), subtree_ids(request)))


def _opaque(name: str, field) -> models.Expression | None:
    """The column as an expression no index matches, in the same order (None: left as it is)."""
    if isinstance(field, models.DateTimeField | models.DateField):
        return models.ExpressionWrapper(F(name) + Value(datetime.timedelta(0)), output_field=models.DateTimeField())
    if isinstance(field, models.CharField | models.TextField):
        return Func(F(name), template="(%(expressions)s || '')", output_field=models.TextField())
    return None


def sorted_in_area(ordering: list, model) -> list:
    """The ordering of an area's page of ids, its date and text columns opaque to their indexes.

    Sorted by such a column, PostgreSQL walks that column's index across the whole city and drops every row of
    another street: 8 ms for a street's newest orders, 27 ms for its oldest issues, which come after 67,000 of
    other streets'. Opaque, it finds the area's rows by their grid node's index and sorts those alone (a street's
    ten thousand ids in a few ms), however they are spread. Same order; the key still breaks ties."""
    result = []
    for item in ordering:
        name = item.lstrip("-") if isinstance(item, str) else ""
        if not name or "__" in name or name == "pk":
            result.append(item)
            continue
        try:
            expression = _opaque(name, model._meta.get_field(name))
        except FieldDoesNotExist:
            expression = None
        result.append(item if expression is None else OrderBy(expression, descending=item.startswith("-")))
    return result


class ScopedChangeList(ChangeList):
    """The change list of every ScopedAdmin: each row's link to its change page made from one reversed URL, with
    the list's filters (``_changelist_filters``) added once. The stock list reverses the URL for each of the 50
    rows and, on a filtered, searched or sorted list, resolves it again for each row to add the filters (half the
    rows' time); the links are the same."""

    PK_MARK = "0"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The rows' links carry the filters themselves (url_for_result); the template tag adding them finds none.
        preserved, self.preserved_filters = self.preserved_filters, ""
        self._row_query = f"?{urlencode(dict(parse_qsl(preserved)))}" if preserved else ""

    def url_for_result(self, result):
        pk = getattr(result, self.pk_attname)
        if not isinstance(pk, int):
            return super().url_for_result(result) + self._row_query
        if not hasattr(self, "_change_url_parts"):
            name = f"admin:{self.opts.app_label}_{self.opts.model_name}_change"
            marked = reverse(name, args=(self.PK_MARK,), current_app=self.model_admin.admin_site.name)
            head, _mark, tail = marked.rpartition(f"/{self.PK_MARK}/")
            self._change_url_parts = (f"{head}/", f"/{tail}{self._row_query}")
        head, tail = self._change_url_parts
        return f"{head}{pk}{tail}"
