"""Monthly star ratings of units and stations from ratings, timeliness and activity."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from alliance.points import stars
from alliance.points.models import PointsKind, StarRating
from members.models import MemberUnit
from services.models import Activity, ServiceStation
from tests.members.factories import MemberUnitFactory
from tests.points.factories import PointsEntryFactory
from tests.services.factories import ActivityFactory, MenuItemFactory, OrderFactory, ServiceStationFactory
from tests.stats.world import at

pytestmark = pytest.mark.django_db


def _order(unit=None, item=None, *, rating, accept_after_hours, community):
    submitted = at(3, 5)
    return OrderFactory(
        menu_item=item or MenuItemFactory(provider_unit=unit, grid_scope=community),
        grid_node=community,
        unit=unit,
        status="rated",
        submitted_at=submitted,
        accepted_at=submitted + datetime.timedelta(hours=accept_after_hours),
        delivered_at=at(3, 8),
        rated_at=at(3, 9),
        rating=rating,
    )


def test_unit_stars_match_the_hand_computed_score(community):
    unit = MemberUnitFactory(grid_node=community)
    idle = MemberUnitFactory(grid_node=community)
    _order(unit, rating=5, accept_after_hours=2, community=community)
    _order(unit, rating=4, accept_after_hours=30, community=community)
    ActivityFactory(grid_node=community, organiser_unit=unit, starts_at=at(3, 20))
    PointsEntryFactory(unit=unit, kind=PointsKind.CLAIM_COMPLETED, points=10, occurred_on=datetime.date(2026, 3, 12))
    stars.compute_star_ratings(year=2026, month=3)
    rating = StarRating.objects.get(unit=unit)
    # 50 × 4.5/5 = 45; 30 × 1/2 = 15; 20 × (2 delivered + 1 activity + 1 claim)/10 = 8 → 68.0 → 3 stars
    assert (rating.rating_avg, rating.timely_share, rating.activity_count) == (Decimal("4.50"), Decimal("0.500"), 4)
    assert (rating.score, rating.stars) == (Decimal("68.0"), 3)
    assert MemberUnit.objects.get(pk=unit.pk).star_rating == 3
    assert (StarRating.objects.get(unit=idle).stars, MemberUnit.objects.get(pk=idle.pk).star_rating) == (0, 0)


def test_station_stars_and_a_rerun_changes_nothing(community):
    station = ServiceStationFactory(grid_node=community, star_rating=0)
    item = MenuItemFactory(provider_unit=None, provider_station=station, grid_scope=community)
    _order(item=item, rating=5, accept_after_hours=1, community=community)
    for day in (10, 11, 12):
        ActivityFactory(grid_node=community, starts_at=at(3, day), kind=Activity.Kind.LECTURE)
    stars.compute_star_ratings(year=2026, month=3)
    stars.compute_star_ratings(year=2026, month=3)
    rating = StarRating.objects.get(station=station)
    # 50 + 30 + 20 × (1 delivered + 3 activities)/10 = 88.0 → 4 stars
    assert (rating.score, rating.stars) == (Decimal("88.0"), 4)
    assert ServiceStation.objects.get(pk=station.pk).star_rating == 4
    assert StarRating.objects.filter(station=station).count() == 1


def test_the_rule_is_shown_to_the_unit_rated(client, community, unit_operator):
    stars.compute_star_ratings(year=2026, month=3)
    client.force_login(unit_operator)
    html = client.get(reverse("alliance:stars"), {"month": "2026-03"}).content.decode()
    assert "及时接单率" in html and 'data-figure="my-stars">0<' in html
    workspace = client.get(reverse("workspace")).content.decode()
    assert reverse("alliance:stars") in workspace


@pytest.mark.parametrize("n", [2, 12])
def test_stars_page_runs_fixed_queries(client, community, n, django_assert_num_queries):
    for _ in range(n):
        MemberUnitFactory(grid_node=community)
    stars.compute_star_ratings(year=2026, month=3)
    # 1 count for the paginator, 2 the page's ratings with units, stations and nodes
    with django_assert_num_queries(2):
        assert client.get(reverse("alliance:stars"), {"month": "2026-03"}).status_code == 200
