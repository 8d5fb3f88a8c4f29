"""Excel import/export of units and party members: all or nothing, every bad row named, scoped."""

import datetime

import pytest
import tablib
from django.core.exceptions import PermissionDenied

from alliance.core.importing import export_rows, import_rows, read_dataset
from alliance.core.validators import make_credit_code
from members.models import MemberUnit, PartyMember, Skill
from members.resources import MemberUnitResource, PartyMemberResource
from tests.grids.factories import MicroGridFactory
from tests.members.factories import MemberUnitFactory, PartyMemberFactory

UNIT_HEADERS = [
    "单位名称",
    "单位类型",
    "统一社会信用代码",
    "地址",
    "所在网格编码",
    "联系人",
    "联系电话",
    "加入日期",
    "状态",
]


def unit_row(n, grid_code, **over):
    row = {
        "单位名称": f"导入单位{n}",
        "单位类型": "国有企业",
        "统一社会信用代码": make_credit_code(f"91370102{n:09d}"),
        "地址": "舜耕路28号",
        "所在网格编码": grid_code,
        "联系人": "王主任",
        "联系电话": f"1381234{n:04d}",
        "加入日期": "2024-05-01",
        "状态": "正常",
    }
    row.update(over)
    return [row[h] for h in UNIT_HEADERS]


def dataset(rows, headers=UNIT_HEADERS):
    return tablib.Dataset(*rows, headers=headers)


def test_good_units_import_with_chinese_labels_and_record_history(community_admin, community, micro_grid):
    report = import_rows(
        MemberUnitResource,
        dataset([unit_row(1, community.code), unit_row(2, micro_grid.code, 单位类型="学校", 加入日期="2023/9/1")]),
        community_admin,
    )

    assert report.ok, report.messages()
    assert (report.created, report.updated) == (2, 0)
    school = MemberUnit.objects.get(name="导入单位2")
    assert school.kind == MemberUnit.Kind.SCHOOL
    assert school.grid_node == micro_grid
    assert school.joined_on == datetime.date(2023, 9, 1)
    assert school.history.get().history_user == community_admin


def test_import_with_two_bad_rows_writes_nothing_and_names_both(community_admin, community):
    rows = [
        unit_row(1, community.code),
        unit_row(2, community.code, 统一社会信用代码="91370102000000002X"),  # wrong check character
        unit_row(3, community.code),
        unit_row(4, community.code, 联系电话="12345"),
        unit_row(5, community.code),
    ]

    report = import_rows(MemberUnitResource, dataset(rows), community_admin)

    assert not report.ok
    assert MemberUnit.objects.count() == 0
    assert [(e.row, e.column) for e in report.errors] == [(3, "统一社会信用代码"), (5, "联系电话")]
    assert "校验位不正确" in report.errors[0].message
    assert "手机号码" in report.errors[1].message
    assert str(report.errors[0]).startswith("第3行“统一社会信用代码”：")
    assert "没有写入任何数据" in report.summary()


def test_unknown_grid_code_kind_and_date_are_chinese_row_errors(community_admin, community):
    rows = [unit_row(1, "NOPE", 单位类型="外星企业", 加入日期="去年")]

    report = import_rows(MemberUnitResource, dataset(rows), community_admin)

    messages = {e.column: e.message for e in report.errors}
    assert set(messages) == {"所在网格编码", "单位类型", "加入日期"}
    assert "找不到网格编码“NOPE”" in messages["所在网格编码"]
    assert "不是有效的选项" in messages["单位类型"]
    assert "无法识别" in messages["加入日期"]


def test_missing_column_is_reported_and_nothing_written(community_admin, community):
    headers = [h for h in UNIT_HEADERS if h != "联系人"]
    rows = [[v for h, v in zip(UNIT_HEADERS, unit_row(1, community.code), strict=True) if h != "联系人"]]

    report = import_rows(MemberUnitResource, dataset(rows, headers), community_admin)

    assert not report.ok
    assert report.errors[0].row is None
    assert "缺少必需的列：联系人" in report.errors[0].message
    assert not MemberUnit.objects.exists()


def test_community_admin_cannot_import_into_another_community(community_admin, community, other_community):
    rows = [unit_row(1, community.code), unit_row(2, other_community.code)]

    report = import_rows(MemberUnitResource, dataset(rows), community_admin)

    assert [(e.row, e.column) for e in report.errors] == [(3, "所在网格编码")]
    assert "管辖范围" in report.errors[0].message
    assert not MemberUnit.objects.exists()


def test_community_admin_cannot_update_a_unit_of_another_community(community_admin, community, other_community):
    foreign = MemberUnitFactory(grid_node=other_community, name="外社区单位")
    rows = [unit_row(1, community.code, 统一社会信用代码=foreign.credit_code)]

    report = import_rows(MemberUnitResource, dataset(rows), community_admin)

    assert not report.ok
    assert "不在您的管辖范围内" in report.messages()[0]
    foreign.refresh_from_db()
    assert foreign.grid_node == other_community and foreign.name == "外社区单位"


def test_reimporting_an_export_updates_in_place(street_admin, community):
    MemberUnitFactory(grid_node=community, name="甲单位")
    exported = export_rows(MemberUnitResource, street_admin)
    exported[0] = tuple("甲单位(更名)" if i == 0 else v for i, v in enumerate(exported[0]))

    report = import_rows(MemberUnitResource, read_dataset(exported.xlsx), street_admin)

    assert report.ok, report.messages()
    assert (report.created, report.updated) == (0, 1)
    assert MemberUnit.objects.get().name == "甲单位(更名)"


def test_export_contains_only_the_users_subtree(community_admin, community, other_community):
    MemberUnitFactory(grid_node=community, name="本社区单位")
    MemberUnitFactory(grid_node=other_community, name="外社区单位")

    exported = export_rows(MemberUnitResource, community_admin)

    assert exported.headers == UNIT_HEADERS
    assert [row[0] for row in exported] == ["本社区单位"]
    assert exported[0][1] == "国有企业"


def test_residents_cannot_import(resident, community):
    with pytest.raises(PermissionDenied):
        import_rows(MemberUnitResource, dataset([unit_row(1, community.code)]), resident)


PM_HEADERS = ["姓名", "手机号码", "组织关系所在单位", "报到社区/网格编码", "特长", "志愿服务时间", "报到日期"]


def test_party_members_import_with_unit_by_name_or_code_and_new_skills(community_admin, community, unit):
    Skill.objects.create(name="法律咨询")
    rows = [
        ["张红", "13905310001", unit.name, community.code, "法律咨询、理发", "周末", "2025-03-05"],
        ["李华", 13905310002.0, unit.credit_code, community.code, "书法,摄影", "", ""],
    ]

    report = import_rows(PartyMemberResource, dataset(rows, PM_HEADERS), community_admin)

    assert report.ok, report.messages()
    zhang = PartyMember.objects.get(name="张红")
    assert sorted(s.name for s in zhang.skills.all()) == ["法律咨询", "理发"]
    li = PartyMember.objects.get(name="李华")
    assert li.phone == "13905310002" and li.unit == unit
    assert li.availability == PartyMember.Availability.WEEKENDS
    assert Skill.objects.count() == 4


def test_party_member_bad_phone_and_unknown_unit_write_nothing(community_admin, community, unit):
    rows = [
        ["张红", "13905310001", unit.name, community.code, "理发", "周末", ""],
        ["李华", "0531-1234", unit.name, community.code, "", "周末", ""],
        ["赵强", "13905310003", "没有这个单位", community.code, "", "晚间", ""],
    ]

    report = import_rows(PartyMemberResource, dataset(rows, PM_HEADERS), community_admin)

    assert [(e.row, e.column) for e in report.errors] == [(3, "手机号码"), (4, "组织关系所在单位")]
    assert "11位" in report.errors[0].message
    assert not PartyMember.objects.exists()
    assert not Skill.objects.exists()


def test_party_member_export_lists_skills_and_stays_in_scope(community_admin, community, other_community):
    member = PartyMemberFactory(community=community, name="本社区党员")
    member.skills.add(Skill.objects.create(name="理发"), Skill.objects.create(name="维修"))
    PartyMemberFactory(community=other_community, name="外社区党员")
    PartyMemberFactory(community=MicroGridFactory(parent=community), name="微网格党员")

    exported = export_rows(PartyMemberResource, community_admin)

    assert exported.headers == PM_HEADERS
    names = sorted(row[0] for row in exported)
    assert names == ["微网格党员", "本社区党员"]
    row = next(r for r in exported if r[0] == "本社区党员")
    assert row[4] == "理发、维修"


def test_party_member_unit_must_lie_in_the_importers_subtree(community_admin, community, other_community):
    foreign_unit = MemberUnitFactory(grid_node=other_community, name="外社区单位")
    rows = [["张红", "13905310001", foreign_unit.name, community.code, "", "周末", ""]]

    report = import_rows(PartyMemberResource, dataset(rows, PM_HEADERS), community_admin)

    assert [(e.row, e.column) for e in report.errors] == [(2, "组织关系所在单位")]
    assert "管辖范围内找不到单位“外社区单位”" in report.errors[0].message


def test_blank_lines_are_skipped_and_later_rows_keep_their_excel_numbers(community_admin, community):
    blank = [None] * len(UNIT_HEADERS)
    rows = [unit_row(1, community.code), blank, unit_row(3, community.code, 联系电话="123")]

    report = import_rows(MemberUnitResource, dataset(rows), community_admin)

    assert [(e.row, e.column) for e in report.errors] == [(4, "联系电话")]
    rows[2] = unit_row(3, community.code)
    assert import_rows(MemberUnitResource, dataset(rows), community_admin).created == 2


def test_the_same_unit_twice_in_one_file_names_the_earlier_row(community_admin, community):
    first = unit_row(1, community.code)
    again = unit_row(2, community.code, 统一社会信用代码=first[2].lower())

    report = import_rows(MemberUnitResource, dataset([first, unit_row(3, community.code), again]), community_admin)

    assert [(e.row, e.column) for e in report.errors] == [(4, "统一社会信用代码")]
    assert "与第2行重复" in report.errors[0].message
    assert not MemberUnit.objects.exists()
