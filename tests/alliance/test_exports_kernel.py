"""The kernel's export helpers: file names that survive in every browser, sheet names Excel accepts, bounded
query strings, times in Beijing time."""

import datetime

import pytest
from django.http import QueryDict

from alliance.core.exports import QueryTooLong, cell, content_disposition, list_query, sheet_title


def test_the_chinese_file_name_is_sent_as_rfc_5987_with_an_ascii_fallback():
    header = content_disposition("点单-20261202.xlsx", "orders-20261202.xlsx")

    assert header == (
        "attachment; filename=\"orders-20261202.xlsx\"; filename*=UTF-8''%E7%82%B9%E5%8D%95-20261202.xlsx"
    )


def test_the_ascii_fallback_cannot_break_the_header():
    assert 'filename="a.xlsx"' in content_disposition("甲.xlsx", 'a";\r\n.xlsx')


def test_sheet_names_are_cut_to_what_excel_accepts():
    assert sheet_title("点单/居民[说事]:" + "长" * 40) == ("点单居民说事" + "长" * 40)[:31]
    assert sheet_title("???") == "Sheet1"


def test_the_list_query_keeps_filters_and_search_and_drops_the_page():
    assert list_query(QueryDict("p=3&status__exact=rated&q=%E5%8A%A9%E9%A4%90&e=1")) == (
        "q=%E5%8A%A9%E9%A4%90&status__exact=rated"
    )
    with pytest.raises(QueryTooLong):
        list_query(QueryDict("q=" + "x" * 2100))


def test_cells_hold_beijing_time_and_chinese_yes_no():
    utc = datetime.datetime(2026, 12, 1, 16, 30, 5, 123, tzinfo=datetime.UTC)

    assert cell(utc) == datetime.datetime(2026, 12, 2, 0, 30, 5)
    assert (cell(True), cell(False), cell(None)) == ("是", "否", None)
