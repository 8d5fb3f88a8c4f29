"""Every spreadsheet the product writes (xlsx, csv) goes through here: no cell is ever a formula.

A cell whose text begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be read by
Excel as a formula (CSV/formula injection: a unit's resource titled ``=HYPERLINK("http://x","点我")``
becomes a live link in the street admin's export). So:

- xlsx: such a cell is written as a string cell (``data_type`` "s") with Excel's quote-prefix style, so
  Excel shows the text and never evaluates it — and the text itself is unchanged;
- csv: such a cell is prefixed with a single quote ``'`` (OWASP's advice), and the file starts with a
  UTF-8 byte-order mark so Excel on Chinese Windows reads it as UTF-8.

Only strings are neutralised: a negative number stored as a number stays a number.

How writers use it::

    from alliance.spreadsheets import new_workbook, workbook_bytes

    book = new_workbook()
    sheet = book.active
    sheet.append([...])            # write as usual, with openpyxl
    return workbook_bytes(book)    # every cell of every sheet checked, then saved

    dataset_xlsx(dataset) / dataset_csv(dataset)     # a tablib dataset (django-import-export)
    SafeXLSX / SafeCSV                               # the admin's export formats
"""

from __future__ import annotations

import csv
import io

from import_export.formats import base_formats
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def safe_cell(value):
    """The value as a CSV cell: text that a spreadsheet would evaluate gets a leading ``'``."""
    if is_formula_like(value):
        return "'" + value
    return value


def unquote_cell(value):
    """The inverse of :func:`safe_cell` for an imported CSV cell (our own exports come back as they left)."""
    if isinstance(value, str) and value.startswith("'") and is_formula_like(value[1:]):
        return value[1:]
    return value


# --- xlsx ---------------------------------------------------------------------------------------


def neutralise_cell(cell) -> None:
    """An openpyxl cell holding formula-like text becomes a plain, quote-prefixed string cell."""
    value = cell.value
    if cell.data_type == "f" or is_formula_like(value):
        if not isinstance(value, str):  # an ArrayFormula or similar object: keep its text only
            value = str(getattr(value, "text", value))
        cell.value = value
        cell.data_type = "s"
        cell.quotePrefix = True
    elif isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
        # Control characters make openpyxl refuse the whole file; they are never meaningful in a cell.
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)


def neutralise_workbook(book: Workbook) -> Workbook:
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    neutralise_cell(cell)
    return book


def new_workbook() -> Workbook:
    return Workbook()


def append_row(sheet, values) -> None:
    """``sheet.append`` that never raises on control characters (they are removed)."""
    sheet.append(
        [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values]
    )


def workbook_bytes(book: Workbook) -> bytes:
    """The workbook as an .xlsx file, after every cell of every sheet was neutralised."""
    neutralise_workbook(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def dataset_xlsx(dataset, *, title: str | None = None) -> bytes:
    """A tablib dataset as an .xlsx file: bold frozen header, no formula anywhere."""
    book = Workbook()
    sheet = book.active
    sheet.title = (title or getattr(dataset, "title", None) or "Sheet1")[:31]
    if dataset.headers:
        append_row(sheet, [str(h) if h is not None else "" for h in dataset.headers])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    for row in dataset:
        append_row(sheet, [_plain(v) for v in row])
    return workbook_bytes(book)


def _plain(value):
    """What openpyxl can store: its own types as they are, anything else as text."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    import datetime
    import decimal

    if isinstance(value, (datetime.date, datetime.time, datetime.timedelta, decimal.Decimal)):
        if isinstance(value, datetime.datetime) and value.tzinfo is not None:
            return value.replace(tzinfo=None)
        return value
    return str(value)


# --- csv ----------------------------------------------------------------------------------------


def dataset_csv(dataset) -> str:
    """A tablib dataset as CSV text starting with a byte-order mark, formula-like cells quoted."""
    stream = io.StringIO()
    stream.write(BOM)
    writer = csv.writer(stream)
    if dataset.headers:
        writer.writerow([safe_cell(h) for h in dataset.headers])
    for row in dataset:
        writer.writerow([safe_cell(v) for v in row])
    return stream.getvalue()


def unquote_dataset(dataset):
    """Undo :func:`safe_cell` on every text cell of an imported CSV dataset (a new dataset)."""
    import tablib

    headers = [unquote_cell(h) for h in dataset.headers] if dataset.headers else None
    rows = [tuple(unquote_cell(v) for v in row) for row in dataset]
    return tablib.Dataset(*rows, headers=headers)


# --- django-import-export formats ---------------------------------------------------------------


class SafeXLSX(base_formats.XLSX):
    """The admin's xlsx export and import: exports written by :func:`dataset_xlsx`."""

    def export_data(self, dataset, **kwargs):
        return dataset_xlsx(dataset)


class SafeCSV(base_formats.CSV):
    """The admin's csv export (BOM, formula-like cells quoted) and import (our quotes removed)."""

    def export_data(self, dataset, **kwargs):
        return dataset_csv(dataset)

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = in_stream.decode(self.encoding or "utf-8-sig")
        if in_stream.startswith(BOM):
            in_stream = in_stream[1:]
        return unquote_dataset(super().create_dataset(in_stream, **kwargs))
