"""The district figures: every street side by side, rankings, monthly trends, totals, the page, the Excel and
the dashboard, against the hand-counted district of tests/stats/district_world.py."""

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from alliance.site import district_stats
from grids.models import GridNode
from tests.members.factories import UserFactory
from tests.stats.district_world import END, EXPECTED, START, YEAR, build

pytestmark = pytest.mark.django_db


def _by_name(f):
    return {r["name"]: r for r in [*f["streets"], f["totals"]]}


def test_each_street_and_the_district_match_the_hand_counts(db):
    build()
    f = district_stats.district_figures(start=START, end=END)
    rows = _by_name(f)
    assert [r["name"] for r in f["streets"]] == ["甲街道", "乙街道", "丙街道"]
    for name, expected in EXPECTED.items():
        assert {k: rows[name][k] for k in expected} == expected, name


def test_a_period_counts_only_its_own_rows(db):
    build()
    f = district_stats.district_figures(start=START.replace(month=3), end=START.replace(month=3, day=31))
    rows = _by_name(f)
    assert (rows["甲街道"]["meetings_joint"], rows["甲街道"]["meetings_community"]) == (0, 2)
    assert rows["甲街道"]["matters_community"] == 1 and rows["甲街道"]["orders"] == 0
    assert rows["七里河区"]["meetings_held"] == 3


def test_rankings_of_streets(db):
    build()
    f = district_stats.district_figures(start=START, end=END, rank_by="meetings_held")
    assert [(r["rank"], r["name"], r["value"]) for r in f["ranking"]] == [
        (1, "甲街道", 5),
        (2, "乙街道", 1),
        (3, "丙街道", 0),
    ]
    rows = f["streets"]
    # fewer hours rank first; a street with no issue has no time and comes last, unranked
    assert [(r["rank"], r["name"]) for r in district_stats.ranking(rows, "issue_accept_median")] == [
        (1, "甲街道"),
        (2, "乙街道"),
        (None, "丙街道"),
    ]
    assert [(r["rank"], r["name"]) for r in district_stats.ranking(rows, "points")] == [
        (1, "乙街道"),
        (2, "甲街道"),
        (3, "丙街道"),
    ]
    tied = [{"id": 1, "name": "甲", "x": 2}, {"id": 2, "name": "乙", "x": 2}, {"id": 3, "name": "丙", "x": 1}]
    district_stats.MEASURES["x"] = ("x", "high")
    try:
        assert [r["rank"] for r in district_stats.ranking(tied, "x")] == [1, 1, 3]
    finally:
        del district_stats.MEASURES["x"]


def test_monthly_trend_per_street(db):
    build()
    f = district_stats.district_figures(start=START, end=END, trend="meetings_held")
    trend = f["trend"]
    assert trend["months"][:4] == [f"{YEAR}-01", f"{YEAR}-02", f"{YEAR}-03", f"{YEAR}-04"]
    assert len(trend["months"]) == 12
    series = {s["name"]: s["values"][:4] for s in trend["series"]}
    assert series == {"甲街道": [1, 2, 2, 0], "乙街道": [0, 0, 1, 0], "丙街道": [0, 0, 0, 0]}
    assert trend["totals"][:4] == [1, 2, 3, 0]
    points = district_stats.district_figures(start=START, end=END, trend="points")["trend"]
    assert {s["name"]: s["values"][2] for s in points["series"]} == {"甲街道": 15, "乙街道": 40, "丙街道": 0}
    sat = district_stats.district_figures(start=START, end=END, trend="satisfaction")["trend"]
    assert {s["name"]: s["values"][4] for s in sat["series"]} == {"甲街道": 5.0, "乙街道": 2.0, "丙街道": None}


def _page(client, **params):
    return client.get(reverse("alliance:figures"), {"year": YEAR, **params})


def test_district_page_shows_every_street_side_by_side(client, db):
    build()
    response = _page(client)
    assert response.status_code == 200
    html = response.content.decode()
    assert "七里河区" in html and 'id="street-table"' in html
    assert 'data-figure="district-meetings_joint">4<' in html
    assert 'data-figure="district-meetings_community">2<' in html
    for name in ("甲街道", "乙街道", "丙街道"):
        assert name in html
    assert 'id="street-ranking"' in html and 'data-chart="trend"' in html
    assert reverse("alliance:figures_xlsx") in html
    assert "<script>" not in html  # the charts' data travels in a JSON element


def test_the_filters_show_what_each_query_asked_also_when_kept_in_the_cache(client, db):
    build()
    measures, trends = list(district_stats.MEASURES)[:2], list(district_stats.TRENDS)[:2]
    for _ in range(2):  # the second round is drawn from the kept fragment
        for rank, trend in zip(measures, reversed(trends), strict=True):
            html = _page(client, rank=rank, trend=trend).content.decode()
            form = html[html.index('<form method="get" class="filters"') :].split("</form>")[0]
            assert f'<option value="{rank}" selected>' in form and f'<option value="{trend}" selected>' in form
            assert f'<option value="{YEAR}" selected>' in form and form.count(" selected>") == 3
        html = client.get(reverse("alliance:figures"), {"start": f"{YEAR}-03-01"}).content.decode()
        assert f'name="start" value="{YEAR}-03-01"' in html


def test_street_page_is_unchanged_with_a_street(client, db):
    build()

    street = GridNode.objects.get(name="甲街道")
    html = _page(client, street=street.pk).content.decode()
    assert 'data-figure="meetings_held">5<' in html and 'id="street-table"' not in html


def _count_page(client, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = _page(client, **params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("params", [{}, {"rank": "points", "trend": "satisfaction"}, {"start": f"{YEAR}-03-01"}])
def test_district_page_queries_do_not_grow_with_streets(client, db, params):
    build()  # 3 streets
    few = _count_page(client, **params)
    build(more_streets=3)  # 9 streets (a second district's worth of rows on top)
    many = _count_page(client, **params)
    assert few == many <= 18


@pytest.mark.parametrize(
    "params",
    [
        {"year": "abc"},
        {"start": "2025-13-40"},
        {"rank": "drop table"},
        {"trend": "x" * 500},
        {"street": "99999999"},
        {"street": "-1", "end": "yesterday"},
        {"start": f"{YEAR}-12-31", "end": f"{YEAR}-01-01"},  # swapped
    ],
)
def test_bad_query_input_never_gives_a_500(client, db, params):
    build()
    response = client.get(reverse("alliance:figures"), params)
    assert response.status_code in (200, 400)
    xlsx = client.get(reverse("alliance:figures_xlsx"), params)
    assert xlsx.status_code in (200, 400)


def test_excel_has_the_district_sheets_with_headers_and_values(client, db):
    build()
    response = client.get(reverse("alliance:figures_xlsx"), {"year": YEAR, "rank": "points"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["各街道数据", "街道排名", "月度趋势"]
    streets = book["各街道数据"]
    header = [c.value for c in streets[2]]
    assert header[:4] == ["街道", "街道大工委会议", "社区大党委会议", "召开会议合计"]
    rows = {r[0]: dict(zip(header, r, strict=False)) for r in streets.iter_rows(min_row=3, values_only=True)}
    assert rows["甲街道"]["街道大工委会议"] == 3 and rows["甲街道"]["接单中位用时（小时）"] == 3.0
    assert rows["全区合计"]["召开会议合计"] == 6 and rows["全区合计"]["党员积分"] == 55
    ranking = list(book["街道排名"].iter_rows(min_row=3, values_only=True))
    assert [c.value for c in book["街道排名"][2]] == ["名次", "街道", "党员积分"]
    assert ranking == [(1, "乙街道", 40), (2, "甲街道", 15), (3, "丙街道", 0)]
    trend = book["月度趋势"]
    assert [c.value for c in trend[2]][:3] == ["街道", f"{YEAR}-01", f"{YEAR}-02"]
    assert list(trend.iter_rows(min_row=3, max_col=4, values_only=True))[-1] == ("全区", 1, 2, 3)


def _dashboard(client, **params):
    return client.get("/admin/dashboard/", {"start": f"{YEAR}-01-01", "end": f"{YEAR}-12-31", **params})


def test_dashboard_at_district_level_for_district_admins_and_superusers(client, db):
    build()
    district_admin = UserFactory(username="qu", role="district_admin", is_staff=True)
    for user in (district_admin, UserFactory(username="root", is_superuser=True, is_staff=True)):
        client.force_login(user)
        html = _dashboard(client).content.decode()
        assert 'id="district-streets"' in html and "七里河区" in html
        assert html.count('data-street="') >= 4  # three streets and the total
        book = load_workbook(io.BytesIO(_dashboard(client, export="xlsx").content))
        assert book.sheetnames[:3] == ["各街道数据", "街道排名", "月度趋势"]


def test_street_admin_keeps_their_street_on_the_dashboard(client, db):
    build()
    from tests.members.factories import StreetAdminFactory

    client.force_login(StreetAdminFactory(grid_node=GridNode.objects.get(name="甲街道")))
    html = _dashboard(client).content.decode()
    assert 'id="district-streets"' not in html and 'data-figure="meetings_held">5<' in html


def test_dashboard_queries_do_not_grow_with_streets(client, db):
    build()
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    with CaptureQueriesContext(connection) as few:
        assert _dashboard(client).status_code == 200
    build(more_streets=3)
    with CaptureQueriesContext(connection) as many:
        assert _dashboard(client).status_code == 200
    assert len(few.captured_queries) == len(many.captured_queries)


def test_district_api_lists_every_street_with_totals_ranking_and_trend(client, db):
    build()
    body = client.get("/api/v1/district-stats/", {"year": YEAR, "rank": "points"}).json()
    assert body["district"] == "七里河区" and body["year"] == YEAR
    streets = {r["name"]: r for r in body["streets"]}
    assert streets["甲街道"]["meetings_joint"] == 3 and streets["乙街道"]["issue_accept_median"] == 5.0
    assert body["totals"]["meetings_held"] == 6
    assert [(r["rank"], r["name"]) for r in body["ranking"]["rows"]] == [(1, "乙街道"), (2, "甲街道"), (3, "丙街道")]
    assert body["trend"]["totals"][:3] == [1, 2, 3]


def test_district_api_refuses_bad_input_with_400_and_runs_fixed_queries(client, db):
    build()
    assert client.get("/api/v1/district-stats/", {"rank": "nope"}).status_code == 400
    assert client.get("/api/v1/district-stats/", {"start": "2025-02-30"}).status_code == 400
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/v1/district-stats/", {"year": YEAR}).status_code == 200
    build(more_streets=3)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/api/v1/district-stats/", {"year": YEAR}).status_code == 200
    assert len(few.captured_queries) == len(many.captured_queries) <= 16


def test_a_hundred_streets_are_shown_twenty_at_a_time_with_totals_and_ranking_of_all(client, db):
    """A city's streets page through the side-by-side and trend tables; the district's totals, the ranking and
    the charts stay those of every street on every page."""
    build(more_streets=20)  # 23 streets
    streets = GridNode.objects.streets().count()
    assert streets > 20
    first, second = _page(client).content.decode(), _page(client, page=2).content.decode()
    for html, rows in ((first, 20), (second, streets - 20)):
        table = re.search(r'<table class="data nowrap street-table".*?</tbody>', html, re.S).group(0)
        trend = re.search(r'<table class="data nowrap" id="trend-table">.*?</tbody>', html, re.S).group(0)
        assert table.count("<tr data-street=") == rows and trend.count("<tr data-street=") == rows
        assert re.search(r'<ol class="list" id="street-ranking">.*?</ol>', html, re.S).group(0).count("<li") == streets
        assert 'data-figure="district-meetings_joint">' in html
    totals = re.compile(r'<tfoot><tr data-street="total">.*?</tfoot>', re.S)
    assert totals.search(first).group(0) == totals.search(second).group(0)
    assert "甲街道" in first and "1 / 2" in first and "2 / 2" in second
