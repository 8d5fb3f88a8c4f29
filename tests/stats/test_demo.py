"""On the demo district the public figures reproduce the figures of the seed reports (SPEC §6)."""

import io

import pytest

from alliance.site import stats
from grids.models import GridNode

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    import importlib

    from django.apps import apps

    from alliance.demo import committee as alliance_demo
    from alliance.demo import grids as grids_demo
    from alliance.demo import members as members_demo
    from alliance.demo import projects as projects_demo

    # The shared categories come from a data migration; a transactional test's flush may have emptied them.
    importlib.import_module("projects.migrations.0002_seed_categories").seed(apps, None)
    out = io.StringIO()
    for module in (grids_demo, members_demo, alliance_demo, projects_demo):
        module.seed(stdout=out)


def test_public_figures_of_shunyu_road_reproduce_the_seed_report(demo):
    street = GridNode.objects.get(code="SY")
    f = stats.public_figures(street=street, year=2026)
    assert f["seats"] == {"full_time": 11, "part_time": 9}
    assert f["alliance"] == {"paired_units": 38, "alliance_firms": 39}
    assert (f["lists"]["resources"], f["lists"]["needs"], f["lists"]["projects"]) == (67, 27, 51)
    assert sum(r["count"] for r in f["units_by_kind"]) >= 100


def test_points_demo_publishes_last_month_and_runs_once(demo):
    from alliance.demo import points as points_demo
    from alliance.points import rankings
    from alliance.points.models import PointsEntry, PointsRanking

    points_demo.seed(stdout=io.StringIO())
    count = PointsEntry.objects.count()
    points_demo.seed(stdout=io.StringIO())
    assert PointsEntry.objects.count() == count > 0
    street = GridNode.objects.get(code="SY")
    ranking = PointsRanking.objects.get(street=street, status="published")
    board = rankings.top10(street_ids=[street.pk], year=ranking.year, month=ranking.month)[street.pk]
    assert board["published"] and len(board["rows"]) >= 10


def test_every_street_has_activity_and_the_district_reproduces_seed_003_since_2018(demo):
    import datetime

    from alliance.demo import streets_activity
    from alliance.site import district_stats
    from grids.models import District

    streets_activity.seed(stdout=io.StringIO())
    since = datetime.date(2018, 1, 1)
    f = district_stats.district_figures(start=since, end=datetime.date.today())
    total = f["totals"]
    # "召开街道大工委联席会议43次,研究和解决辖区重大事项20余项,召开社区大党委联席会议326次,研究和解决各类事项100余项"
    assert (total["meetings_joint"], total["meetings_community"]) == (43, 326)
    assert 20 < total["matters_joint"] < 30 and 100 < total["matters_community"] < 110
    assert District.load().name == "七里河区" and total["name"] == "七里河区"
    for row in f["streets"]:  # no street at zero
        for key in ("meetings_joint", "meetings_community", "matters_resolved", "orders", "issues", "claims"):
            assert row[key] > 0, (row["name"], key)
        assert row["order_accept_median"] and row["issue_finish_median"] and row["satisfaction"]
    last_year = district_stats.district_figures(
        start=datetime.date.today() - datetime.timedelta(days=365), end=datetime.date.today()
    )
    west = next(r for r in last_year["streets"] if r["code"] == "XZ")
    assert west["meetings_held"] > 0 and west["orders"] > 0

    counts = streets_activity.counts_since_2018()
    streets_activity.seed(stdout=io.StringIO())  # a second run changes nothing
    assert streets_activity.counts_since_2018() == counts
