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

    from alliance.core.spreadsheets import append_row, workbook_bytes

    book = Workbook()
    append_row(book.active, [...])  # sheet.append that drops control characters openpyxl refuses
    return workbook_bytes(book)     # every cell of every sheet checked, then saved

    streamed_sheet_bytes(title, headers, rows)       # a big sheet, row by row (write-only), each cell checked
    dataset_xlsx(dataset) / dataset_csv(dataset)     # a tablib dataset (django-import-export)
    SafeXLSX / SafeCSV                               # the admin's export formats
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import zipfile

import tablib
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from import_export.formats import base_formats
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def human_size(size: int) -> str:
    """5 MB, 1.5 MB, 800 KB: a size limit as a user reads it."""
    if size >= 1024 * 1024:
        return f"{round(size / 1024 / 1024, 1):g} MB"
    return f"{max(1, round(size / 1024)):g} KB"


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


def append_row(sheet, values) -> None:
    """``sheet.append`` that never raises on control characters (they are removed)."""
    sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values])


def workbook_bytes(book: Workbook) -> bytes:
    """The workbook as an .xlsx file, after every cell of every sheet was neutralised."""
    neutralise_workbook(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def streamed_sheet_bytes(title: str, headers, rows) -> bytes:
    """One sheet written row by row (openpyxl's write-only mode: memory does not grow with the rows), every cell
    neutralised by :func:`neutralise_cell` as it is written; a bold, frozen header row."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    sheet.freeze_panes = "A2"

    def cells(values, bold=False):
        row = []
        for value in values:
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)  # openpyxl refuses them (as in append_row)
            cell = WriteOnlyCell(sheet, value=value)
            neutralise_cell(cell)
            if bold:
                cell.font = Font(bold=True)
            row.append(cell)
        return row

    sheet.append(cells(headers, bold=True))
    for values in rows:
        sheet.append(cells(values))
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


# --- reading an uploaded spreadsheet (imports) ---------------------------------------------------


class SpreadsheetRefused(ValueError):
    """An uploaded spreadsheet that is not read: too large, too many rows, or unreadable (Chinese message)."""


UNREADABLE = gettext_noop("文件无法读取，请上传 Excel（.xlsx）文件。")


def _limit(name: str, default: int) -> int:

    return getattr(settings, name, default)


def read_spreadsheet(data: bytes | str, fmt: str = "xlsx") -> tablib.Dataset:
    """The rows of an uploaded xlsx or csv file as a dataset, bounded before anything expensive.

    In order: the file's bytes (``IMPORT_MAX_BYTES``); for xlsx the unpacked size its archive declares
    (``IMPORT_MAX_UNPACKED_BYTES``, a zip bomb is never inflated); then the rows are streamed (openpyxl's
    read-only mode, never the whole workbook in memory) and reading stops at the first row past
    ``IMPORT_MAX_ROWS``. Blank rows at the end (formatted but empty) do not count. Anything that is not a
    readable spreadsheet (a renamed file, a broken archive, malformed or hostile XML) is
    :class:`SpreadsheetRefused` with a Chinese message, never an exception from the parser.
    """
    max_bytes = _limit("IMPORT_MAX_BYTES", 5 * 1024 * 1024)
    size = len(data.encode("utf-8")) if isinstance(data, str) else len(data)
    if size > max_bytes:
        raise SpreadsheetRefused(_("文件过大（超过 %(size)s），请分批导入。") % {"size": human_size(max_bytes)})
    rows = _csv_rows(data) if fmt == "csv" else _xlsx_rows(data)
    return _dataset(rows, max_rows=_limit("IMPORT_MAX_ROWS", 1000))


def _too_many_rows(max_rows: int) -> SpreadsheetRefused:
    return SpreadsheetRefused(_("表格超过 %(n)d 行，请分批导入。") % {"n": max_rows})


def _dataset(rows, *, max_rows: int) -> tablib.Dataset:
    try:
        headers = next(rows, None)
        if not headers or all(h in (None, "") for h in headers):
            raise SpreadsheetRefused(_("表格是空的：第一行应是表头，请按导出的模板填写。"))
        headers = list(headers)
        while headers and headers[-1] in (None, ""):
            headers.pop()  # empty columns on the right of the header
        width = len(headers)
        dataset = tablib.Dataset(headers=[unquote_cell(h) for h in headers])
        blank = 0
        for row in rows:
            values = list(row[:width]) + [None] * (width - len(row))
            if all(v in (None, "") for v in values):
                blank += 1  # kept (row numbers stay as in Excel) unless nothing follows
                continue
            if len(dataset) + blank + 1 > max_rows:
                raise _too_many_rows(max_rows)
            for _blank in range(blank):
                dataset.append([None] * width)
            blank = 0
            dataset.append([unquote_cell(v) for v in values])
    except SpreadsheetRefused:
        raise
    except Exception:  # noqa: BLE001 - whatever the parser raises on a broken or hostile file
        raise SpreadsheetRefused(_(UNREADABLE))
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()  # the workbook's archive, also when reading stopped early
    if not len(dataset):
        raise SpreadsheetRefused(_("表格中没有可导入的数据行。"))
    return dataset


def _xlsx_rows(data):
    if isinstance(data, str):
        raise SpreadsheetRefused(_(UNREADABLE))
    max_unpacked = _limit("IMPORT_MAX_UNPACKED_BYTES", 40 * 1024 * 1024)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            # Declared sizes: zipfile never inflates a member past the size its header declares.
            unpacked = sum(info.file_size for info in archive.infolist())
    except Exception:  # noqa: BLE001 - not a zip archive at all
        raise SpreadsheetRefused(_(UNREADABLE))
    if unpacked > max_unpacked:
        raise SpreadsheetRefused(_("文件内容过大，请删去多余的内容或分批导入。"))
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.active
        rows = sheet.iter_rows(values_only=True)
    except Exception:  # noqa: BLE001 - a zip that is not a workbook, broken XML
        raise SpreadsheetRefused(_(UNREADABLE))

    def stream():
        try:
            yield from rows
        finally:
            book.close()

    return stream()


def _csv_rows(data):
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise SpreadsheetRefused(_("CSV 文件无法读取，请以 UTF-8 编码另存后上传，或上传 Excel（.xlsx）文件。"))
    if data.startswith(BOM):
        data = data[1:]
    return iter(csv.reader(io.StringIO(data, newline="")))


# --- django-import-export formats ---------------------------------------------------------------


class SafeXLSX(base_formats.XLSX):
    """The admin's xlsx format: exports by :func:`dataset_xlsx`, imports by :func:`read_spreadsheet`."""

    def export_data(self, dataset, **kwargs):
        return dataset_xlsx(dataset)

    def create_dataset(self, in_stream, **kwargs):
        return read_spreadsheet(in_stream, "xlsx")


class SafeCSV(base_formats.CSV):
    """The admin's csv format: exports with a BOM and formula-like cells quoted; imports bounded, quotes removed."""

    def export_data(self, dataset, **kwargs):
        return dataset_csv(dataset)

    def create_dataset(self, in_stream, **kwargs):
        return read_spreadsheet(in_stream, "csv")
