"""Spreadsheets exported before the headers took full-width brackets still import their columns."""

import tablib

from projects.resources import ProjectResource


def test_a_header_with_half_width_brackets_is_read_as_the_full_width_column():
    dataset = tablib.Dataset(headers=["项目名称", "类别", "所属网格编码", "预算(元)", "众筹目标(元)"])

    ProjectResource().before_import(dataset)

    assert dataset.headers[-2:] == ["预算（元）", "众筹目标（元）"]
    assert "预算（元）" in [field.column_name for field in ProjectResource().get_import_fields()]
