"""The public figures page: hand-counted figures, fixed queries, charts served locally."""

import datetime

import pytest
from django.urls import reverse

from alliance.site import stats
from tests.stats.world import EXPECTED, YEAR, build

pytestmark = pytest.mark.django_db
TODAY = datetime.date(YEAR, 3, 20)


def test_public_figures_match_the_hand_counted_world(street, community, other_community):
    build(street, community, other_community)
    f = stats.public_figures(street=street, year=YEAR, today=TODAY)
    assert f["seats"] == EXPECTED["seats"]
    assert f["alliance"] == EXPECTED["alliance"]
    units = {r["key"]: r["count"] for r in f["units_by_kind"] if r["count"]}
    assert units == EXPECTED["units"]
    assert {k: f["lists"][k] for k in EXPECTED["lists"]} == EXPECTED["lists"]
    assert f["lists"]["coverage"] == pytest.approx(66.7)
    assert {r["key"]: r["count"] for r in f["orders"]["by_status"]} == EXPECTED["orders"]
    issues = {r["key"]: r["count"] for r in f["issues"]["by_status"] if r["count"]}
    assert issues == EXPECTED["issues"]
    assert (f["issues"]["satisfaction_avg"], f["issues"]["satisfied_share"]) == (4.0, 50.0)
    assert f["committee"] == EXPECTED["committee"]
    assert f["monthly_committee"][2] == {"label": "3月", "meetings_held": 2, "matters_resolved": 1}
    assert [(r["name"], r["points"]) for r in f["top10"]["rows"]] == EXPECTED["top3"]


def test_figures_of_another_year_count_only_that_year(street, community, other_community):
    build(street, community, other_community)
    f = stats.public_figures(street=street, year=YEAR - 1, today=TODAY)
    assert f["orders"]["total"] == 1 and f["committee"]["meetings_held"] == 0
    assert f["seats"] == EXPECTED["seats"]  # seats are the current ones


def _page(client, street, year=YEAR):
    return client.get(reverse("alliance:figures"), {"street": street.pk, "year": year})


@pytest.mark.parametrize("extra", [0, 6])
def test_figures_page_runs_fixed_queries_whatever_the_data_and_period(
    client, street, community, other_community, extra, django_assert_num_queries
):
    build(street, community, other_community, extra=extra)
    # 1 streets; 20 in public_figures: units 1, seats 1, pairings+firms 2, lists 5, orders 2, issues 2,
    # meetings+matters 2, monthly 2, TOP10 3 (published rankings, their rows, the live ranking)
    for year in (YEAR, YEAR - 1):
        with django_assert_num_queries(21):
            response = _page(client, street, year)
        assert response.status_code == 200


def test_figures_page_shows_the_figures_and_draws_charts_with_the_local_library(
    client, street, community, other_community
):
    build(street, community, other_community)
    html = _page(client, street).content.decode()
    assert 'data-figure="full_time">3<' in html and 'data-figure="paired_units">2<' in html
    assert 'data-figure="resources">3<' in html and 'data-figure="order-submitted">2<' in html
    assert "/static/vendor/chart.umd.min.js" in html and 'id="chart-data"' in html
    assert "http://" not in html.split("<body")[1].replace("http://testserver", "")
    assert "<script>" not in html  # no inline script: data travels in a JSON element


def test_figures_page_without_streets_is_empty_not_an_error(client, db):
    assert client.get(reverse("alliance:figures")).status_code == 200
