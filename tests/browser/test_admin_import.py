"""A street admin imports member units from Excel in the admin and sees the bad row named in Chinese."""

import io

import openpyxl
import pytest

from alliance.core.validators import make_credit_code
from members.models import MemberUnit
from tests.browser_support import login, shot

pytestmark = pytest.mark.django_db(transaction=True)

HEADERS = ["单位名称", "单位类型", "统一社会信用代码", "地址", "所在网格编码", "联系人", "联系电话", "加入日期", "状态"]


def units_workbook(grid_code: str) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for n in (1, 2, 3):
        phone = "12345" if n == 2 else f"1381234{n:04d}"  # row 3 of the sheet: not a mobile number
        code = make_credit_code(f"91370102{n:09d}")
        sheet.append(
            [f"历下导入单位{n}", "国有企业", code, "舜耕路28号", grid_code, "王主任", phone, "2024-05-01", "正常"]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_street_admin_imports_units_and_sees_the_bad_row_in_chinese(desktop_page, street_admin, community):
    page = desktop_page
    login(page, street_admin, admin=True)

    page.goto("/admin/members/memberunit/")
    page.get_by_role("link", name="导入").click()
    page.set_input_files(
        "#id_import_file",
        files=[
            {
                "name": "成员单位.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": units_workbook(community.code),
            }
        ],
    )
    page.select_option("#id_format", label="xlsx")
    page.locator("form input[type=submit]").first.click()

    report = page.locator("table.import-report")
    report.wait_for()
    shot(page, "admin_import_bad_row")
    rows = report.locator("tr.import-error")
    assert rows.count() == 1
    cells = rows.first.locator("td").all_inner_texts()
    assert cells[0] == "第3行"
    assert cells[1] == "联系电话"
    assert "手机号码" in cells[2]
    assert "没有写入任何数据" in page.locator(".errornote").inner_text()
    assert page.locator("input[name=confirm]").count() == 0
    assert not MemberUnit.objects.filter(name__startswith="历下导入单位").exists()
