"""Every list to Excel: an export is declared once per list, and written through ``alliance.core.spreadsheets``.

How a list declares its export (``<app>/exports.py``)::

    from alliance.core.exports import Export, label, text, when

    ORDERS = Export(
        sheet="点单",                      # the sheet's name and the file's: 点单-20261202.xlsx
        slug="orders",                     # the ASCII fallback of the file name: orders-20261202.xlsx
        columns=[
            text("编号", "id"),
            text("所在网格", "grid_node.name"),   # a dotted path; a missing link is an empty cell
            label("状态", "status"),             # the choice's Chinese label
            when("点单时间", "submitted_at"),     # Beijing time, a real Excel date
            Column("评分", lambda o: o.rating),  # any getter
        ],
        select_related=["grid_node"],
        prefetch_related=[Prefetch("events", queryset=OrderEvent.objects.only("order_id", "kind", "at"))],
    )

and its admin sets ``export = ORDERS`` (``alliance.core.export_admin``): the change list gets "导出Excel" (what it
shows, filters and search included) and an action for the selected rows. Rows are read in chunks of
``CHUNK_SIZE`` with the prefetches done per chunk, so the queries do not grow with the rows. Past
``EXPORT_SYNC_MAX_ROWS`` rows the admin hands the export to a background job (``alliance.core.export_jobs``).
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponse, QueryDict
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from alliance.core.replica import on_replica
from alliance.core.spreadsheets import streamed_sheet_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows read per query: a chunk of 2000 rows with its prefetches is a few MB in memory and a few queries.
CHUNK_SIZE = 2000
# The change list's query string kept with a background export: far longer than any filter and search the
# admin produces, short enough to store.
MAX_QUERY_LENGTH = 2000
# Parameters of the change list that say how it is shown, not which rows: never part of an export.
NOT_FILTERS = frozenset({"p", "e", "_popup", "_to_field", "all"})


def sync_max_rows() -> int:
    return int(getattr(settings, "EXPORT_SYNC_MAX_ROWS", 10_000))


# --- columns --------------------------------------------------------------------------------------


def follow(obj, path: str):
    """The value at a dotted path (``"unit.grid_node.name"``); None when a link on the way is empty."""
    value = obj
    for part in path.split("."):
        if value is None:
            return None
        value = getattr(value, part)
    return value() if callable(value) else value


@dataclass(frozen=True)
class Column:
    """One column: its Chinese header and the getter of a row's value."""

    header: Any
    value: Callable[[Any], Any]


def text(header, path: str) -> Column:
    """The value at ``path`` as it is (numbers stay numbers, related rows are written as their names)."""
    return Column(header, lambda obj: follow(obj, path))


def label(header, path: str) -> Column:
    """The Chinese label of a choice field (``"status"`` → 已接单)."""
    owner, _dot, name = path.rpartition(".")

    def get(obj):
        target = follow(obj, owner) if owner else obj
        return None if target is None else getattr(target, f"get_{name}_display")()

    return Column(header, get)


def when(header, path: str) -> Column:
    """A date or time, in Beijing time."""
    return Column(header, lambda obj: follow(obj, path))


def yes_no(header, path: str) -> Column:
    return Column(header, lambda obj: _("是") if follow(obj, path) else _("否"))


def cell(value):
    """What a cell holds: aware times in local (Beijing) time, labels as text, anything else as its name."""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if value is None or isinstance(value, (str, int, float, decimal.Decimal)):
        return value
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, (datetime.date, datetime.time)):
        return value
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return "、".join(str(cell(v)) for v in value)
    return str(value)


# --- the export ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Export:
    """A list's export: the sheet name (Chinese, also the file's), the columns and what to load with the rows."""

    sheet: Any
    slug: str
    columns: Sequence[Column]
    select_related: Sequence[str] = ()
    prefetch_related: Sequence[Any] = ()
    chunk_size: int = field(default=CHUNK_SIZE)

    @property
    def headers(self) -> list[str]:
        return [str(c.header) for c in self.columns]

    def prepare(self, queryset: QuerySet) -> QuerySet:
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        if self.prefetch_related:
            queryset = queryset.prefetch_related(*self.prefetch_related)
        return queryset

    def rows(self, queryset: QuerySet) -> Iterator[list]:
        """The cells of each row, read ``chunk_size`` rows at a time (prefetches done per chunk)."""
        for obj in self.prepare(queryset).iterator(chunk_size=self.chunk_size):
            yield [cell(c.value(obj)) for c in self.columns]

    def workbook(self, queryset: QuerySet, *, progress: Callable[[int], None] | None = None) -> bytes:
        """The rows as an .xlsx file; ``progress(rows_done)`` is called after every chunk. The rows are read from
        the replica when there is one (alliance.core.replica): an export is the heaviest read staff make."""
        return on_replica(
            lambda: write_workbook(
                self.sheet, self.headers, self.rows(queryset), progress=progress, every=self.chunk_size
            )
        )

    def file_name(self, day: datetime.date | None = None) -> str:
        return f"{self.sheet}-{(day or timezone.localdate()):%Y%m%d}.xlsx"

    def ascii_file_name(self, day: datetime.date | None = None) -> str:
        return f"{self.slug}-{(day or timezone.localdate()):%Y%m%d}.xlsx"

    def response(self, queryset: QuerySet) -> HttpResponse:
        return xlsx_response(self.workbook(queryset), self.file_name(), self.ascii_file_name())


def write_workbook(
    sheet_name,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    *,
    progress: Callable[[int], None] | None = None,
    every: int = CHUNK_SIZE,
) -> bytes:
    """One sheet: a bold, frozen header row, then the rows, written as they come (memory stays flat for a big
    export); no cell is a formula (``streamed_sheet_bytes``)."""

    def counted():
        done = 0
        for row in rows:
            yield row
            done += 1
            if progress is not None and done % every == 0:
                progress(done)
        if progress is not None:
            progress(done)

    return streamed_sheet_bytes(sheet_title(sheet_name), headers, counted())


def sheet_title(name) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of ``[]:*?/\\``."""
    title = "".join(c for c in str(name) if c not in "[]:*?/\\")[:31]
    return title or "Sheet1"


def content_disposition(file_name: str, ascii_name: str) -> str:
    """``attachment`` with the Chinese name as RFC 5987 ``filename*`` and an ASCII ``filename`` for old clients."""
    fallback = "".join(c for c in ascii_name if c.isascii() and c.isprintable() and c not in '"\\;') or "export.xlsx"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(file_name, safe='')}"


def xlsx_response(data: bytes, file_name: str, ascii_name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition(file_name, ascii_name)
    return response


# --- counting and the list's query string ----------------------------------------------------------


def count_upto(queryset: QuerySet, limit: int) -> int:
    """How many rows, counted at most to ``limit + 1`` (enough to know that a list is over the limit)."""
    return queryset.order_by().values("pk")[: limit + 1].count()


class QueryTooLong(ValueError):
    pass


def list_query(params: QueryDict) -> str:
    """The filters and search of a change list as a bounded query string (the page and popups left out)."""
    kept = QueryDict(mutable=True)
    for key in sorted(params):
        if key not in NOT_FILTERS:
            kept.setlist(key, params.getlist(key))
    query = kept.urlencode()
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryTooLong(_("筛选条件过长，请减少筛选条件后再导出。"))
    return query


# --- the lists that export -------------------------------------------------------------------------

# "app_label.model_name" → the admin that offers the export (it rebuilds its change list for a user and a query
# string: ``export_queryset(request)``). Filled as the admins are registered (``alliance.core.export_admin``);
# the background job finds its list here.
SOURCES: dict[str, Any] = {}


def register_source(key: str, source) -> None:
    SOURCES[key] = source
