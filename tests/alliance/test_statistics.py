"""Statistics by period and committee against hand-counted fixtures, and the Excel export."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from alliance.committee.models import Matter, Meeting
from alliance.committee.selectors import committee_statistics
from tests.alliance.factories import CommitteeFactory, MatterFactory, MeetingFactory

TZ = timezone.get_current_timezone()


def t(month, day, hour=10, year=2026):
    return datetime.datetime(year, month, day, hour, tzinfo=TZ)


@pytest.fixture
def fixtures(committee, community):
    """By hand: committee A (the street's) and B (a community's) in 2026, plus edges that must not count."""
    b = CommitteeFactory(grid_node=community, name="舜园社区大党委", kind="community_party")
    held = Meeting.Status.HELD
    for when in (t(1, 25), t(3, 25), t(5, 25)):
        MeetingFactory(committee=committee, starts_at=when, status=held, held_at=when)
    MeetingFactory(committee=committee, starts_at=t(6, 25))  # scheduled: not held
    MeetingFactory(committee=committee, starts_at=t(4, 25), status=Meeting.Status.CANCELLED)
    # held late on 31 Dec 2025, Beijing time (still 2025 there, though 15:30 UTC): counts in 2025
    MeetingFactory(committee=committee, starts_at=t(12, 31, 23, 2025), status=held, held_at=t(12, 31, 23, 2025))
    MeetingFactory(committee=b, starts_at=t(1, 10), status=held, held_at=t(1, 10))

    def matter(committee, raised, studied=None, resolved=None, deferred=None):
        m = MatterFactory(committee=committee)
        Matter.objects.filter(pk=m.pk).update(
            created_at=raised, studied_at=studied, resolved_at=resolved, deferred_at=deferred
        )

    matter(committee, t(1, 5), studied=t(2, 25), resolved=t(3, 25))
    matter(committee, t(1, 6), studied=t(2, 25), deferred=t(5, 25))
    matter(committee, t(1, 7))
    matter(committee, t(4, 1))
    matter(b, t(1, 9))
    return committee, b


def figures(rows):
    return {
        (r["period"], r["committee"]): (
            r["meetings_held"],
            r["matters_raised"],
            r["matters_studied"],
            r["matters_resolved"],
            r["matters_deferred"],
        )
        for r in rows
    }


def test_by_year(fixtures):
    a, b = fixtures
    assert figures(committee_statistics(period="year", year=2026)) == {
        ("2026年", a.name): (3, 4, 2, 1, 1),
        ("2026年", b.name): (1, 1, 0, 0, 0),
    }
    assert figures(committee_statistics(period="year", year=2025)) == {("2025年", a.name): (1, 0, 0, 0, 0)}


def test_by_quarter(fixtures):
    a, b = fixtures
    assert figures(committee_statistics(period="quarter", year=2026)) == {
        ("2026年第1季度", a.name): (2, 3, 2, 1, 0),
        ("2026年第2季度", a.name): (1, 1, 0, 0, 1),
        ("2026年第1季度", b.name): (1, 1, 0, 0, 0),
    }


def test_by_month_for_one_committee(fixtures):
    a, _ = fixtures
    assert figures(committee_statistics(period="month", year=2026, committee_ids=[a.pk])) == {
        ("2026年1月", a.name): (1, 3, 0, 0, 0),
        ("2026年2月", a.name): (0, 0, 2, 0, 0),
        ("2026年3月", a.name): (1, 0, 0, 1, 0),
        ("2026年4月", a.name): (0, 1, 0, 0, 0),
        ("2026年5月", a.name): (1, 0, 0, 0, 1),
    }


def test_the_statistics_page_and_its_excel_export_show_the_same_figures(client, fixtures, django_assert_num_queries):
    a, b = fixtures
    # 5 figures + committee names + the committee filter's choices
    with django_assert_num_queries(7):
        page = client.get(reverse("alliance:statistics"), {"period": "quarter", "year": 2026})
    assert page.status_code == 200
    assert "2026年第2季度" in page.content.decode()
    export = client.get(reverse("alliance:statistics_xlsx"), {"period": "quarter", "year": 2026})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows()]
    assert rows[0] == ("统计期", "委员会", "召开会议", "提出议题", "研究议题", "议决议题", "暂缓议题")
    assert ("2026年第1季度", a.name, 2, 3, 2, 1, 0) in rows
    assert ("2026年第2季度", a.name, 1, 1, 0, 0, 1) in rows
    assert rows[-1] == ("合计", None, 4, 5, 2, 1, 1)


def test_the_admin_statistics_stay_in_the_users_subtree(client, fixtures, community_admin, street_admin):
    a, b = fixtures
    url = reverse("admin:alliance_committee_statistics")
    client.force_login(community_admin)
    page = client.get(url, {"period": "year", "year": 2026}).content.decode()
    assert b.name in page and a.name not in page
    client.force_login(street_admin)
    page = client.get(url, {"period": "year", "year": 2026}).content.decode()
    assert b.name in page and a.name in page
    export = client.get(url, {"period": "year", "year": 2026, "export": "xlsx"})
    rows = [tuple(c.value for c in row) for row in load_workbook(io.BytesIO(export.content)).active.iter_rows()]
    assert ("2026年", a.name, 3, 4, 2, 1, 1) in rows and rows[-1] == ("合计", None, 4, 5, 2, 1, 1)
    assert "统计与导出" in client.get(reverse("admin:alliance_committee_changelist")).content.decode()


def test_residents_do_not_reach_the_admin_statistics(client, fixtures, resident):
    client.force_login(resident)
    response = client.get(reverse("admin:alliance_committee_statistics"))
    assert response.status_code == 302  # to the admin login


def test_a_city_of_committees_is_paged_newest_first_with_totals_over_every_row(client, street, community):
    """60 community committees with a held meeting each in 2026 and one in 2025: 120 rows on three pages of 50,
    2026 first, and the totals count all 120 meetings on every page."""
    held = Meeting.Status.HELD
    for n in range(60):
        c = CommitteeFactory(grid_node=community, name=f"第{n:02d}社区大党委", kind="community_party")
        for when in (t(3, 1), t(3, 1, year=2025)):
            MeetingFactory(committee=c, starts_at=when, status=held, held_at=when)
    url = reverse("alliance:statistics")
    first = client.get(url, {"period": "year"}).content.decode()
    assert first.count("<td>2026年</td>") == 50 and "<td>2025年</td>" not in first
    assert "共120行" in first and "1 / 3" in first
    assert "<th>120</th>" in first  # the total of every row, not of the page
    last = client.get(url, {"period": "year", "page": 3}).content.decode()
    assert last.count("<td>2025年</td>") == 20 and "<th>120</th>" in last
    assert client.get(url, {"period": "year", "page": "x' OR 1=1"}).status_code == 200
