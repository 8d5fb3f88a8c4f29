"""The change lists of every admin (ScopedAdmin): the scope found by node ids, capped counts, the rows' links.

At city scale a change list is a page of 50 rows out of a million: these parts keep its cost that of the page, not
of the table (issue 19's admin bench, tests/bench/admin.py, measures them against the stock admin).
"""

from urllib.parse import parse_qsl

from django.contrib.admin.views.main import ChangeList
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode

from alliance.core.scoping import scope_path, scope_queryset, sees_all


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
    (a street's few hundred) is compared in the row itself, so the list walks its order's index and the count
    reads the grid node's index alone."""
    path = scope_path(queryset.model)
    user = request.user
    if not path or sees_all(user) or getattr(user, "grid_node_id", None) is None:
        return scope_queryset(queryset, user)  # a grid node itself, everything, or nothing
    return queryset.filter(**{f"{path}__in": subtree_ids(request)})


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
