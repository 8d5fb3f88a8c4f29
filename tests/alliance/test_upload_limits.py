"""Uploads and imports are bounded before they are expensive, and refused in Chinese, never with a 500.

The limits are lowered through settings so that the files here stay tiny.
"""

import io
import struct
import zipfile
import zlib

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from alliance.core.importing import read_dataset
from alliance.core.photos import clean_photo, clean_photos
from alliance.core.spreadsheets import SpreadsheetRefused

UNREADABLE = "文件无法读取，请上传 Excel（.xlsx）文件。"


# --- photos -----------------------------------------------------------------------------------------


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "red").save(out, format="PNG")
    return out.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A PNG of a few hundred bytes whose header declares a huge canvas (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 4096, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def upload(data: bytes, name="p.png"):
    return SimpleUploadedFile(name, data, content_type="image/png")


@pytest.mark.parametrize("side", [100_000, 6_000])
def test_a_tiny_file_declaring_a_huge_canvas_is_refused_without_decoding(side, monkeypatch):
    data = png_declaring(side, side)
    assert len(data) < 1000
    monkeypatch.setattr(Image.Image, "load", lambda self: pytest.fail("pixels were decoded"))

    with pytest.raises(ValidationError, match="照片尺寸过大") as refused:
        clean_photo(upload(data), max_bytes=1024 * 1024)

    assert "。" in refused.value.messages[0]


def test_pixels_per_photo_follow_the_setting(settings):
    settings.PHOTO_MAX_PIXELS = 100 * 100

    assert clean_photo(upload(png(100, 100)), max_bytes=1024 * 1024)
    with pytest.raises(ValidationError, match="照片尺寸过大"):
        clean_photo(upload(png(101, 100)), max_bytes=1024 * 1024)


def test_pixels_of_all_photos_of_a_request_are_counted_together(settings):
    settings.PHOTO_MAX_REQUEST_PIXELS = 2 * 100 * 100

    assert len(clean_photos([upload(png(100, 100)), upload(png(100, 100))], max_bytes=1024 * 1024)) == 2
    with pytest.raises(ValidationError, match="合计尺寸过大"):
        clean_photos([upload(png(100, 100)) for _ in range(3)], max_bytes=1024 * 1024)


def test_photos_are_stored_no_larger_than_the_setting(settings):
    settings.PHOTO_MAX_SIDE = 50
    out = io.BytesIO()
    Image.new("RGB", (200, 100), "blue").save(out, format="JPEG")

    cleaned = clean_photo(upload(out.getvalue(), "a.jpg"), max_bytes=1024 * 1024)

    with Image.open(cleaned) as image:
        assert image.size == (50, 25) and image.format == "JPEG"


def test_a_scaled_down_photo_keeps_the_cameras_orientation(settings):
    settings.PHOTO_MAX_SIDE = 50
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: the camera was turned; shown rotated by 90°
    out = io.BytesIO()
    Image.new("RGB", (200, 100), "blue").save(out, format="JPEG", exif=exif.tobytes())

    cleaned = clean_photo(upload(out.getvalue(), "a.jpg"), max_bytes=1024 * 1024)

    with Image.open(cleaned) as image:
        assert image.size == (25, 50) and not image.getexif()


def test_an_issue_with_photos_too_large_together_is_a_chinese_400(resident, micro_grid, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PHOTO_MAX_REQUEST_PIXELS = 2 * 100 * 100
    client = APIClient()
    client.force_authenticate(resident)
    photos = [upload(png(100, 100), f"{i}.png") for i in range(3)]

    response = client.post(
        "/api/v1/issues/",
        {"title": "路灯不亮", "text": "3号楼前", "grid_node": micro_grid.pk, "photos": photos},
        format="multipart",
    )

    assert response.status_code == 400
    assert "合计尺寸过大" in str(response.json())
    assert not list(tmp_path.rglob("*.png"))


def test_a_bomb_through_the_api_is_a_chinese_400(resident, micro_grid, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = APIClient()
    client.force_authenticate(resident)

    response = client.post(
        "/api/v1/issues/",
        {
            "title": "路灯",
            "text": "坏了",
            "grid_node": micro_grid.pk,
            "photos": [upload(png_declaring(90_000, 90_000))],
        },
        format="multipart",
    )

    assert response.status_code == 400 and "照片尺寸过大" in str(response.json())


# --- the body of one request ------------------------------------------------------------------------


def test_a_request_body_over_the_limit_is_413_before_it_is_read(resident, micro_grid, settings):
    settings.UPLOAD_MAX_REQUEST_BYTES = 2000
    client = APIClient()
    client.force_authenticate(resident)

    response = client.post(
        "/api/v1/issues/",
        {"title": "路灯", "text": "x" * 3000, "grid_node": micro_grid.pk},
        format="multipart",
    )

    assert response.status_code == 413
    assert "上传的内容过大" in response.json()["detail"]


def test_a_page_post_over_the_limit_is_a_chinese_413_page(client, resident, settings):
    settings.UPLOAD_MAX_REQUEST_BYTES = 2000
    client.force_login(resident)

    response = client.post("/", {"text": "x" * 3000})

    assert response.status_code == 413
    page = response.content.decode()
    assert 'lang="zh-hans"' in page and "上传的内容过大" in page
    assert response["Content-Security-Policy"]


# --- imports ----------------------------------------------------------------------------------------

HEADERS = ["单位名称", "单位类型"]


def workbook(rows: int, *, blank_after: int = 0) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for n in range(rows):
        sheet.append([f"单位{n}", "国有企业"])
    for n in range(blank_after):
        sheet.cell(row=rows + 2 + n, column=1).value = None
        sheet.cell(row=rows + 2 + n, column=1).number_format = "@"  # a formatted, empty row
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_rows_per_import_follow_the_setting_and_blank_rows_at_the_end_do_not_count(settings):
    settings.IMPORT_MAX_ROWS = 5

    dataset = read_dataset(workbook(5, blank_after=50))

    assert len(dataset) == 5 and dataset.headers == HEADERS
    with pytest.raises(SpreadsheetRefused, match="表格超过 5 行，请分批导入。"):
        read_dataset(workbook(6))


def test_rows_are_streamed_and_reading_stops_past_the_limit(settings, monkeypatch):
    settings.IMPORT_MAX_ROWS = 3
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    seen = []
    original = ReadOnlyWorksheet._cells_by_row

    def counting(self, *args, **kwargs):
        for row in original(self, *args, **kwargs):
            seen.append(row)
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", counting)

    with pytest.raises(SpreadsheetRefused):
        read_dataset(workbook(200))

    assert len(seen) <= 5  # the header, three rows, the one too many


def test_bytes_per_import_are_checked_first(settings):
    settings.IMPORT_MAX_BYTES = 1024

    with pytest.raises(SpreadsheetRefused, match="文件过大（超过 1 KB），请分批导入。"):
        read_dataset(workbook(1))


def zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def broken_sheet(xml: bytes) -> bytes:
    """A real workbook whose first sheet's XML is replaced."""
    with zipfile.ZipFile(io.BytesIO(workbook(1))) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["xl/worksheets/sheet1.xml"] = xml
    return zip_of(members)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>"""


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"PK\x03\x04 not really a zip", id="broken zip"),
        pytest.param(b"%PDF-1.4 a renamed file", id="not a zip"),
        pytest.param(zip_of({"hello.txt": b"hi"}), id="a zip that is no workbook"),
        pytest.param(broken_sheet(b"<worksheet><sheetData><row>"), id="malformed XML"),
        pytest.param(broken_sheet(BILLION_LAUGHS), id="entity expansion"),
        pytest.param(b"", id="empty"),
    ],
)
def test_malformed_files_are_reported_in_chinese(data):
    with pytest.raises(SpreadsheetRefused) as refused:
        read_dataset(data)

    assert str(refused.value) == UNREADABLE or "表格" in str(refused.value)


def test_a_zip_bomb_is_refused_by_its_declared_size(settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 100_000
    data = broken_sheet(b"<x>" + b" " * 200_000 + b"</x>")
    assert len(data) < 20_000

    with pytest.raises(SpreadsheetRefused, match="文件内容过大"):
        read_dataset(data)


def test_csv_imports_are_bounded_and_decoded_or_refused_in_chinese(settings):
    settings.IMPORT_MAX_ROWS = 2
    good = "\ufeff单位名称,单位类型\n'=甲,国有企业\n乙,国有企业\n".encode()

    dataset = read_dataset(good, "csv")

    assert [row[0] for row in dataset] == ["=甲", "乙"]  # our own export's quote comes off
    with pytest.raises(SpreadsheetRefused, match="表格超过 2 行"):
        read_dataset(good + "丙,国有企业\n".encode(), "csv")
    with pytest.raises(SpreadsheetRefused, match="UTF-8"):
        read_dataset("单位名称\n甲\n".encode("gbk"), "csv")


def admin_import(client, data: bytes, name="units.xlsx", fmt="0"):
    return client.post(
        reverse("admin:members_memberunit_import"),
        {"format": fmt, "resource": "0", "import_file": SimpleUploadedFile(name, data)},
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x00garbage", UNREADABLE),
        (broken_sheet(b"<worksheet><sheetData><row>"), UNREADABLE),
        (workbook(6), "表格超过 5 行，请分批导入。"),
    ],
)
def test_the_admin_import_says_what_is_wrong_in_chinese(client, street_admin, settings, data, message):
    settings.IMPORT_MAX_ROWS = 5
    client.force_login(street_admin)

    response = admin_import(client, data)

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "encountered while trying to read file" not in page


def test_the_admin_import_refuses_a_large_file_before_reading_it(client, street_admin, settings, monkeypatch):
    settings.IMPORT_MAX_BYTES = 1024
    client.force_login(street_admin)
    monkeypatch.setattr("alliance.core.spreadsheets.read_spreadsheet", lambda *a, **k: pytest.fail("the file was read"))

    response = admin_import(client, workbook(1))

    assert response.status_code == 200
    assert "文件过大（超过 1 KB），请分批导入。" in response.content.decode()


def test_a_good_file_still_imports_through_the_admin_preview(client, street_admin):
    client.force_login(street_admin)
    data = tablib.Dataset(("甲单位", "国有企业"), headers=HEADERS).xlsx

    response = admin_import(client, data)

    assert response.status_code == 200
    assert UNREADABLE not in response.content.decode()


def test_a_csv_with_a_bom_imports_through_the_admin_preview(client, street_admin, settings):
    settings.IMPORT_MAX_ROWS = 1
    client.force_login(street_admin)

    good = admin_import(client, "\ufeff单位名称,单位类型\n甲单位,国有企业\n".encode(), "units.csv", fmt="1")
    too_many = admin_import(client, "单位名称,单位类型\n甲,国有企业\n乙,国有企业\n".encode(), "units.csv", fmt="1")

    assert good.status_code == 200 and "表格缺少必需的列" in good.content.decode()  # read: its rows judged
    assert UNREADABLE not in good.content.decode()
    assert "表格超过 1 行，请分批导入。" in too_many.content.decode()
