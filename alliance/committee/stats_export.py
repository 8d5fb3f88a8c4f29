"""The committee statistics as an Excel workbook (openpyxl)."""

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from alliance.committee.selectors import STAT_COLUMNS
from alliance.core.spreadsheets import append_row, workbook_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def statistics_workbook(rows: list[dict]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("大工委统计")
    sheet.append([str(label) for _key, label in STAT_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        append_row(sheet, [row[key] for key, _label in STAT_COLUMNS])
    sheet.append([_("合计"), ""] + [sum(r[key] for r in rows) for key, _label in STAT_COLUMNS[2:]])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEFG", (16, 28, 10, 10, 10, 10, 10), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    return workbook_bytes(workbook)
