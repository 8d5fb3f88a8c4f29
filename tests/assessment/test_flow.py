"""Weights, computing and publishing by role; the quarterly stars and their job."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from alliance.assessment import actions
from alliance.assessment.models import AssessmentWeights, GridStar, GridStarRating, Status
from alliance.assessment.tasks import compute_grid_stars_task
from alliance.core.errors import Conflict
from tests.assessment.conftest import YEAR
from tests.grids.factories import StreetFactory
from tests.members.factories import StreetAdminFactory

pytestmark = pytest.mark.django_db

WEIGHTS = {"claims": 10, "services": 30, "meetings": 20, "issues": 20, "satisfaction": 20}


def test_a_street_admin_sets_the_weights_of_a_year(street, street_admin):
    row = actions.set_weights(by=street_admin, street=street, year=YEAR, weights=WEIGHTS)
    assert row.weights() == WEIGHTS and row.set_by == street_admin
    actions.set_weights(by=street_admin, street=street, year=YEAR, weights={**WEIGHTS, "claims": 20, "services": 20})
    assert AssessmentWeights.objects.get(street=street, year=YEAR).w_services == 20


@pytest.mark.parametrize(
    "weights, field",
    [
        ({**WEIGHTS, "claims": 11}, "w_satisfaction"),  # 101
        ({**WEIGHTS, "claims": 0}, "w_satisfaction"),  # 90
        ({**WEIGHTS, "claims": None}, "w_claims"),
        ({**WEIGHTS, "claims": -10, "services": 50}, "w_claims"),
    ],
)
def test_weights_that_do_not_add_up_to_100_are_refused_in_chinese(street, street_admin, weights, field):
    with pytest.raises(ValidationError) as refused:
        actions.set_weights(by=street_admin, street=street, year=YEAR, weights=weights)
    assert field in refused.value.message_dict
    assert not AssessmentWeights.objects.exists()


def test_a_community_admin_cannot_set_weights_compute_or_publish(street, community_admin, street_admin):
    with pytest.raises(PermissionDenied):
        actions.set_weights(by=community_admin, street=street, year=YEAR, weights=WEIGHTS)
    with pytest.raises(PermissionDenied):
        actions.open_assessment(by=community_admin, street=street, year=YEAR)
    assessment = actions.open_assessment(by=street_admin, street=street, year=YEAR)
    for call in (actions.compute_assessment, actions.publish_assessment):
        with pytest.raises(PermissionDenied):
            call(by=community_admin, assessment=assessment)


def test_a_street_admin_of_another_street_cannot_act(street, street_admin, resident):
    other = StreetAdminFactory(grid_node=StreetFactory(name="舜耕街道"))
    assessment = actions.open_assessment(by=street_admin, street=street, year=YEAR)
    for user in (other, resident):
        with pytest.raises(PermissionDenied):
            actions.compute_assessment(by=user, assessment=assessment)


def test_compute_uses_the_weights_then_publish_freezes(world, street_admin):
    actions.set_weights(by=street_admin, street=world.street, year=YEAR, weights=WEIGHTS)
    assessment = actions.open_assessment(by=street_admin, street=world.street, year=YEAR)
    with pytest.raises(ValidationError):
        actions.publish_assessment(by=street_admin, assessment=assessment)  # not computed yet
    actions.compute_assessment(by=street_admin, assessment=assessment)
    actions.compute_assessment(by=street_admin, assessment=assessment)  # recomputing a draft replaces the rows
    assert assessment.weights() == WEIGHTS
    assert assessment.results.count() == 6
    actions.publish_assessment(by=street_admin, assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.status == Status.PUBLISHED
    assert assessment.published_by == street_admin and assessment.published_at
    with pytest.raises(ValidationError):
        actions.compute_assessment(by=street_admin, assessment=assessment)
    with pytest.raises(Conflict):
        actions.publish_assessment(by=street_admin, assessment=assessment)
    with pytest.raises(ValidationError) as refused:
        actions.set_weights(by=street_admin, street=world.street, year=YEAR, weights=WEIGHTS)
    assert "已发布" in refused.value.message_dict["year"][0]


def test_one_assessment_per_street_and_year(street, street_admin):
    actions.open_assessment(by=street_admin, street=street, year=YEAR)
    with pytest.raises(ValidationError) as refused:
        actions.open_assessment(by=street_admin, street=street, year=YEAR)
    assert refused.value.message_dict["year"] == ["该街道该年度的年终考核已经建立。"]


def test_the_quarter_stars_of_each_micro_grid(world, street_admin):
    rating = actions.open_grid_stars(by=street_admin, street=world.street, year=YEAR, quarter=2)
    actions.compute_grid_stars(by=street_admin, rating=rating)
    stars = {s.node_id: s for s in rating.stars.all()}
    grid_a, grid_b = stars[world.grid_a.pk], stars[world.grid_b.pk]
    # grid_a: 2 of 4 in time → 20; ratings 4, 2, 5, 5 → 4.0 → 24; 2 activities → 5; 3 orders → 3: 52 → ★★.
    assert (grid_a.issues_reported, grid_a.issues_in_time, grid_a.activities, grid_a.orders_delivered) == (4, 2, 2, 3)
    assert (grid_a.score, grid_a.stars, grid_a.rank) == (Decimal("52.0"), 2, 2)
    # grid_b: no issues → 40; rating 3 → 18; no activity; 1 order → 1: 59 → ★★, first.
    assert (grid_b.score, grid_b.stars, grid_b.rank) == (Decimal("59.0"), 2, 1)
    other = actions.open_grid_stars(by=street_admin, street=world.street, year=YEAR, quarter=1)
    actions.compute_grid_stars(by=street_admin, rating=other)
    # Nothing recorded in the first quarter: no issue counts as all in time (40), no rating as 3 (18): 58 → ★★.
    assert {(s.score, s.stars) for s in other.stars.all()} == {(Decimal("58.0"), 2)}


def test_the_quarterly_job_computes_last_quarter_drafts_and_leaves_published_ones(world, street_admin):
    today = datetime.date(YEAR, 7, 1)
    streets = compute_grid_stars_task(today.isoformat())  # the factories' other streets too
    rating = GridStarRating.objects.get(street=world.street)
    assert (rating.year, rating.quarter, rating.status, rating.computed_by) == (YEAR, 2, Status.DRAFT, None)
    first = sorted(rating.stars.values_list("node_id", "score", "stars", "rank"))
    assert compute_grid_stars_task(today.isoformat()) == streets  # run twice: the same draft, no second rating
    assert GridStarRating.objects.filter(street=world.street).count() == 1
    assert sorted(rating.stars.values_list("node_id", "score", "stars", "rank")) == first
    actions.publish_grid_stars(by=street_admin, rating=rating)
    ids = set(GridStar.objects.filter(rating=rating).values_list("id", flat=True))
    assert compute_grid_stars_task(today.isoformat()) == streets - 1  # published: left as it is
    assert set(GridStar.objects.filter(rating=rating).values_list("id", flat=True)) == ids


def test_the_job_in_january_rates_the_fourth_quarter_of_last_year():
    assert actions.previous_quarter(datetime.date(2026, 1, 1)) == (2025, 4)
    assert actions.previous_quarter(datetime.date(2026, 4, 1)) == (2026, 1)


def test_a_community_admin_cannot_publish_stars(world, street_admin, community_admin):
    rating = actions.open_grid_stars(by=street_admin, street=world.street, year=YEAR, quarter=2)
    actions.compute_grid_stars(by=street_admin, rating=rating)
    with pytest.raises(PermissionDenied):
        actions.publish_grid_stars(by=community_admin, rating=rating)
    with pytest.raises(PermissionDenied):
        actions.compute_grid_stars(by=community_admin, rating=rating)
