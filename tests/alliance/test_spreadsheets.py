"""Every spreadsheet the product writes is inert: no cell becomes a formula; CSV opens in Excel (BOM)."""

import csv
import io
import zipfile

import pytest
import tablib
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from alliance.committee.selectors import STAT_COLUMNS
from alliance.committee.stats_export import statistics_workbook
from alliance.core.spreadsheets import SafeCSV, dataset_csv, dataset_xlsx, workbook_bytes
from alliance.site.dashboard import workbook as dashboard_workbook
from projects.resources import ResourceResource
from tests.projects.factories import ResourceFactory

HOSTILE = [
    '=HYPERLINK("http://x","点我")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
]


def cells(data: bytes):
    sheet = load_workbook(io.BytesIO(data)).active
    return [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]


def admin_export(client):
    """The street admin's "导出Excel" of the resource list (the import's columns)."""
    response = client.get(reverse("admin:projects_resource_export_excel"))
    assert response.status_code == 200, response.content[:500]
    return response


@pytest.fixture
def hostile_resources(unit):
    return [ResourceFactory(unit=unit, title=title, description=title) for title in HOSTILE]


def test_admin_xlsx_export_writes_formula_like_titles_as_text(client, street_admin, hostile_resources):
    client.force_login(street_admin)

    response = admin_export(client)

    written = cells(response.content)
    texts = {cell.value for cell in written}
    for title in HOSTILE:
        assert title.replace("\r", "\n") in texts  # the text itself (XML reads CR as LF)
    assert not [cell.coordinate for cell in written if cell.data_type == "f"]
    hyperlink = next(cell for cell in written if cell.value == HOSTILE[0])
    assert hyperlink.data_type == "s" and hyperlink.quotePrefix
    # No formula element anywhere in the file Excel opens.
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml


def test_csv_export_quotes_formula_like_cells_and_starts_with_a_bom(street_admin, hostile_resources):
    text = dataset_csv(ResourceResource(user=street_admin).export())

    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0][0] == "资源名称"
    titles = {row[0] for row in rows[1:]}
    assert titles == {"'" + title for title in HOSTILE}
    assert not [value for row in rows for value in row if value[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_csv_export_reimports_to_the_same_titles(street_admin, hostile_resources):
    text = dataset_csv(ResourceResource(user=street_admin).export())

    dataset = SafeCSV(encoding="utf-8-sig").create_dataset(text.encode("utf-8"))

    assert sorted(row[0] for row in dataset) == sorted(HOSTILE)


def test_numbers_stay_numbers_and_plain_text_is_untouched():
    dataset = tablib.Dataset(("-5 元", -5, -2.5, "普通文字"), headers=["说明", "整数", "小数", "文字"])

    written = {cell.coordinate: cell for cell in cells(dataset_xlsx(dataset))}

    assert written["A2"].value == "-5 元" and written["A2"].data_type == "s"
    assert written["B2"].value == -5 and written["B2"].data_type == "n"
    assert written["C2"].value == -2.5 and written["C2"].data_type == "n"
    assert written["D2"].value == "普通文字" and not written["D2"].quotePrefix
    rows = list(csv.reader(io.StringIO(dataset_csv(dataset).lstrip("\ufeff"))))
    assert rows[1] == ["'-5 元", "-5", "-2.5", "普通文字"]


def test_openpyxl_writers_are_neutralised_at_save():
    book = Workbook()
    book.active.append(["=1+1", -3, "@x"])
    book.active["D1"] = "=SUM(B1:B1)"

    written = {cell.coordinate: cell for cell in cells(workbook_bytes(book))}

    assert {c: (cell.value, cell.data_type) for c, cell in written.items()} == {
        "A1": ("=1+1", "s"),
        "B1": (-3, "n"),
        "C1": ("@x", "s"),
        "D1": ("=SUM(B1:B1)", "s"),
    }


def test_statistics_and_dashboard_workbooks_hold_no_formula(monkeypatch):
    stats_row = {key: 2 for key, _ in STAT_COLUMNS}
    stats_row.update(period="2026", committee='=HYPERLINK("http://x","点我")')

    written = cells(statistics_workbook([stats_row]))

    assert not [c for c in written if c.data_type == "f"]
    assert {c.value: c.data_type for c in written}['=HYPERLINK("http://x","点我")'] == "s"

    top10 = [("积分TOP10", ["名次", "姓名", "单位", "积分"], [[1, "=cmd()", "@单位", -3]])]
    monkeypatch.setattr("alliance.site.dashboard.sheets", lambda f: top10)

    written = cells(dashboard_workbook({}, "=标题"))

    types = {c.value: c.data_type for c in written}
    assert not [c for c in written if c.data_type == "f"]
    assert types["=cmd()"] == "s" and types["@单位"] == "s" and types["=标题"] == "s"
    assert types[-3] == "n"


def test_a_residents_own_export_keeps_formula_like_text_as_text_and_survives_control_characters(client, resident):
    resident.display_name = '=HYPERLINK("http://x","点我")'
    resident.address = "舜玉小区\x01 3号楼"
    resident.save()
    client.force_login(resident)

    response = client.get(reverse("privacy-export-excel"))

    assert response.status_code == 200
    written = {cell.value: cell.data_type for cell in cells(response.content)}
    assert written['=HYPERLINK("http://x","点我")'] == "s"
    assert "舜玉小区 3号楼" in written
