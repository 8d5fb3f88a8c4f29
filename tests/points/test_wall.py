"""The wall (公示): 堡垒指数 on a station's page, 先锋指数 and the month's points on a service point's page,
stars on both, and last month kept as it was by the monthly snapshot."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from alliance.points import rankings, wall
from alliance.points.models import PointsKind, StarRating, WallSnapshot
from alliance.points.tasks import snapshot_wall_task
from services.models import ServiceStation
from tests.members.factories import MemberUnitFactory, PartyMemberFactory, PartyOrganizationFactory
from tests.points.factories import PointsEntryFactory
from tests.services.factories import ServiceStationFactory

pytestmark = pytest.mark.django_db


def _page(client, station, **query):
    return client.get(reverse("services:station", args=[station.pk]), query)


def _org(node, name, points=0, day=None):
    unit = MemberUnitFactory(grid_node=node, name=f"{name}公司")
    org = PartyOrganizationFactory(unit=unit, name=f"{name}党支部")
    if points:
        member = PartyMemberFactory(unit=unit, community=node)
        PointsEntryFactory(member=member, points=points, occurred_on=day or timezone.localdate())
    return org


def _last_month():
    year, month = rankings.previous_month(timezone.localdate())
    return year, month, datetime.date(year, month, 10)


def test_a_station_shows_the_fortress_index_of_its_communitys_units_and_the_rule(client, community, other_community):
    station = ServiceStationFactory(grid_node=community, name="舜园社区党群服务站")
    _org(community, "舜园物业", points=40)
    _org(community, "舜园超市", points=10)
    _org(other_community, "舜华供电", points=80)
    html = _page(client, station).content.decode()
    assert "堡垒指数公示" in html and "本月实时" in html
    assert html.index("舜园物业党支部") < html.index("舜园超市党支部")
    assert "舜华供电党支部" not in html  # another community's unit is on its own station's wall
    # 40 of the street's best 80 → 50.0; 10 → 12.5
    assert ">50.0<" in html and ">12.5<" in html
    assert "堡垒指数：原始分" in html and "驻区单位党组织" in html


def test_a_point_shows_its_members_month_points_and_pioneer_index_ranked_names_only(client, community, micro_grid):
    point = ServiceStationFactory(grid_node=micro_grid, kind=ServiceStation.Kind.POINT, name="3号楼党群服务点")
    today = timezone.localdate()
    low = PartyMemberFactory(community=micro_grid, name="李红", phone="13900000001")
    high = PartyMemberFactory(community=micro_grid, name="王强", phone="13900000002")
    PartyMemberFactory(community=micro_grid, name="张静")  # reported here, no points this month
    elsewhere = PartyMemberFactory(community=community, name="赵远")  # the community, not this micro-grid
    PointsEntryFactory(member=low, points=4, occurred_on=today)
    PointsEntryFactory(member=high, points=12, occurred_on=today)
    PointsEntryFactory(member=elsewhere, points=8, occurred_on=today)
    html = _page(client, point).content.decode()
    assert "先锋指数与党员积分公示" in html
    assert html.index("王强") < html.index("李红") < html.index("张静")
    assert "赵远" not in html and "1390000000" not in html
    # median of the street's positive totals (4, 8, 12) is 8: 12 → 150.0, 4 → 50.0
    assert ">150.0<" in html and ">50.0<" in html and ">12<" in html


def test_a_station_shows_its_stars_the_set_ones_and_the_latest_monthly_rating(client, community):
    station = ServiceStationFactory(grid_node=community, star_rating=4)
    StarRating.objects.create(station=station, grid_node=community, year=2026, month=9, score=70, stars=3)
    StarRating.objects.create(station=station, grid_node=community, year=2026, month=10, score=91, stars=5)
    html = _page(client, station).content.decode()
    assert "★★★★☆" in html and "4星" in html
    assert "5星（2026年10月，得分91.0）" in html


@pytest.mark.parametrize("n", [1, 12])
def test_the_station_page_runs_fixed_queries(client, community, n, django_assert_num_queries):
    station = ServiceStationFactory(grid_node=community)
    for i in range(n):
        _org(community, f"单位{i:02d}", points=i + 1)
    # station + rooms + menu items + the next occurrences of its recurring services;
    # the wall: four for the indexes, one for the stars
    with django_assert_num_queries(9):
        response = _page(client, station)
    assert response.content.decode().count("<tr data-row>") == n
    with django_assert_num_queries(4):  # the wall is served from the cache
        _page(client, station)


@pytest.mark.parametrize("n", [1, 12])
def test_the_point_page_runs_fixed_queries_live_and_kept(client, micro_grid, n, django_assert_num_queries):
    point = ServiceStationFactory(grid_node=micro_grid, kind=ServiceStation.Kind.POINT)
    year, month, day = _last_month()
    for i in range(n):
        member = PartyMemberFactory(community=micro_grid)
        PointsEntryFactory(member=member, points=i + 1, occurred_on=timezone.localdate())
        PointsEntryFactory(member=member, points=i + 2, occurred_on=day)
    snapshot_wall_task(timezone.localdate().isoformat())
    # station + rooms + menu items + next occurrences; the wall: members with their points, the indexes, the stars
    with django_assert_num_queries(7):
        response = _page(client, point)
    assert response.content.decode().count("<tr data-row>") == n
    # a kept month: the snapshot and its rows instead of the live reads
    with django_assert_num_queries(7):
        response = _page(client, point, month=f"{year}-{month:02d}")
    assert response.content.decode().count("<tr data-row>") == n


def test_last_months_wall_is_kept_as_it_was_after_points_are_corrected(client, micro_grid, community):
    point = ServiceStationFactory(grid_node=micro_grid, kind=ServiceStation.Kind.POINT)
    station = ServiceStationFactory(grid_node=community)
    year, month, day = _last_month()
    member = PartyMemberFactory(community=micro_grid, name="王强")
    entry = PointsEntryFactory(member=member, points=6, occurred_on=day)
    _org(community, "舜园物业", points=30, day=day)

    assert snapshot_wall_task(timezone.localdate().isoformat()) == 2
    assert snapshot_wall_task(timezone.localdate().isoformat()) == 0  # once per station and month
    # the month has turned; a correction of last month's points comes in afterwards
    PointsEntryFactory(member=member, kind=PointsKind.CORRECTION, corrects=entry, points=94, occurred_on=day)

    kept = WallSnapshot.objects.get(station=point, year=year, month=month)
    assert [(r.name, r.points) for r in kept.rows.all()] == [("王强", 6)]
    html = _page(client, point, month=f"{year}-{month:02d}").content.decode()
    assert "留存" in html and "data-points>6<" in html and "data-points>100<" not in html
    # recomputed now, the month would read 100: the wall does not
    assert wall.pioneer_rows(point, year=year, month=month)[0]["points"] == 100
    assert "舜园物业党支部" in _page(client, station, month=f"{year}-{month:02d}").content.decode()


def test_a_month_with_nothing_kept_says_so(client, community):
    station = ServiceStationFactory(grid_node=community)
    year, month, _ = _last_month()
    html = _page(client, station, month=f"{year}-{month:02d}").content.decode()
    assert "该月没有留存的公示" in html


@pytest.mark.parametrize("month", ["1999-01", "2999-01", "abc", "2026-13", "9" * 40])
def test_the_month_picker_refuses_what_it_does_not_offer_and_shows_this_month(client, community, month):
    station = ServiceStationFactory(grid_node=community)
    response = _page(client, station, month=month)
    assert response.status_code == 400
    assert "本月实时" in response.content.decode()


def test_a_points_change_shows_at_once_despite_the_cache(client, micro_grid):
    point = ServiceStationFactory(grid_node=micro_grid, kind=ServiceStation.Kind.POINT)
    member = PartyMemberFactory(community=micro_grid, name="王强")
    PointsEntryFactory(member=member, points=3, occurred_on=timezone.localdate())
    assert "data-points>3<" in _page(client, point).content.decode()
    PointsEntryFactory(member=member, points=5, occurred_on=timezone.localdate())
    assert "data-points>8<" in _page(client, point).content.decode()
