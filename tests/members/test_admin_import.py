"""Excel import through the admin: preview names every bad row; a good file is written on confirm."""

import io

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alliance.core.importing import import_rows, read_dataset
from alliance.core.validators import make_credit_code
from members.models import MemberUnit, PartyMember
from members.resources import MemberUnitResource, PartyMemberResource

HEADERS = ["单位名称", "单位类型", "统一社会信用代码", "地址", "所在网格编码", "联系人", "联系电话", "加入日期", "状态"]


def xlsx(rows, headers=HEADERS):
    return SimpleUploadedFile("units.xlsx", tablib.Dataset(*rows, headers=headers).xlsx)


def row(n, code, **over):
    values = dict(
        zip(
            HEADERS,
            [
                f"导入单位{n}",
                "非公企业",
                make_credit_code(f"91370103{n:09d}"),
                "经十路1号",
                code,
                "刘经理",
                f"1370000{n:04d}",
                "2024-06-01",
                "",
            ],
            strict=True,
        )
    )
    values.update(over)
    return [values[h] for h in HEADERS]


def upload(client, file, model="memberunit"):
    return client.post(reverse(f"admin:members_{model}_import"), {"format": "0", "resource": "0", "import_file": file})


def test_preview_names_every_bad_row_and_offers_no_confirm(client, community_admin, community, other_community):
    client.force_login(community_admin)
    rows = [
        row(1, community.code),
        row(2, community.code, 联系电话="110"),
        row(3, community.code),
        row(4, other_community.code),
    ]

    response = upload(client, xlsx(rows))

    page = response.content.decode()
    assert response.status_code == 200
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert "没有写入任何数据" in page
    assert "第3行" in page and "联系电话" in page
    assert "第5行" in page and "所在网格编码" in page and "管辖范围" in page
    assert not MemberUnit.objects.exists()


def test_good_file_is_written_after_confirm_with_history(client, community_admin, community):
    client.force_login(community_admin)

    preview = upload(client, xlsx([row(1, community.code), row(2, community.code)]))
    confirm = preview.context["confirm_form"]
    assert confirm is not None
    done = client.post(reverse("admin:members_memberunit_process_import"), confirm.initial)

    assert done.status_code == 302
    assert MemberUnit.objects.count() == 2
    unit = MemberUnit.objects.get(name="导入单位1")
    assert unit.kind == MemberUnit.Kind.PRIVATE_FIRM and unit.status == MemberUnit.Status.ACTIVE
    assert unit.history.get().history_user == community_admin


def test_import_page_lists_the_chinese_columns(client, community_admin):
    client.force_login(community_admin)

    page = client.get(reverse("admin:members_partymember_import")).content.decode()

    for header in ["姓名", "手机号码", "组织关系所在单位", "报到社区/网格编码", "特长", "志愿服务时间", "报到日期"]:
        assert header in page


def test_garbage_file_is_a_form_error_not_a_500(client, community_admin):
    client.force_login(community_admin)

    response = upload(client, SimpleUploadedFile("units.xlsx", b"not a spreadsheet"))

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not PartyMember.objects.exists()


@pytest.mark.parametrize("model", ["memberunit", "partymember"])
def test_the_export_is_a_workbook_with_the_imports_headers(client, community_admin, model):
    client.force_login(community_admin)

    response = client.get(reverse(f"admin:members_{model}_export_excel"))

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    resource = {"memberunit": MemberUnitResource, "partymember": PartyMemberResource}[model]()
    assert [c.value for c in sheet[1]] == resource.get_export_headers()
    assert sheet.title != "Tablib Dataset"


def test_export_is_scoped_too(client, community_admin, community, other_community):
    from tests.members.factories import MemberUnitFactory

    MemberUnitFactory(grid_node=community, name="本社区单位")
    MemberUnitFactory(grid_node=other_community, name="外社区单位")
    client.force_login(community_admin)

    response = client.get(reverse("admin:members_memberunit_export_excel"))

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "本社区单位" in names and "外社区单位" not in names


def test_an_exported_file_imports_back_unchanged(client, community_admin, community):
    from tests.members.factories import MemberUnitFactory

    MemberUnitFactory(grid_node=community, name="本社区单位")
    client.force_login(community_admin)
    data = client.get(reverse("admin:members_memberunit_export_excel")).content

    report = import_rows(MemberUnitResource, read_dataset(data), community_admin)

    assert report.ok, report.messages()
    assert (report.created, report.updated) == (0, 1)


def test_change_list_offers_import_and_export_to_community_admins(client, community_admin):
    client.force_login(community_admin)

    page = client.get(reverse("admin:members_memberunit_changelist")).content.decode()

    assert reverse("admin:members_memberunit_import") in page
    assert reverse("admin:members_memberunit_export_excel") in page
    assert "导出Excel" in page
