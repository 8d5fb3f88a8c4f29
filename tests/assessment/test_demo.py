"""The demo's assessment step: the published year-end assessment of the year holding the demo's records and last quarter's stars; run twice, no change."""

import datetime

import pytest
from django.utils import timezone

from alliance.assessment import actions
from alliance.assessment.models import Assessment, AssessmentResult, AssessmentWeights, GridStar, GridStarRating
from alliance.demo import assessment as demo
from tests.members.factories import StreetAdminFactory

pytestmark = pytest.mark.django_db


def _counts():
    models = (Assessment, AssessmentResult, AssessmentWeights, GridStarRating, GridStar)
    return {m.__name__: m.objects.count() for m in models}


def test_the_demo_publishes_the_year_of_its_records_and_last_quarters_stars(world):
    StreetAdminFactory(grid_node=world.street, username="street_admin")
    demo.seed()
    first = _counts()
    demo.seed()
    assert _counts() == first
    today = timezone.localdate()
    year = demo.assessed_year(today)
    assessment = Assessment.objects.get(street=world.street, year=year)
    if year != today.year:
        assert Assessment.objects.get(street=world.street, year=today.year).status == "draft"  # this year's, waiting
    assert (assessment.year, assessment.status, assessment.weights()) == (
        year,
        "published",
        demo.DEMO_WEIGHTS,
    )
    assert assessment.results.filter(kind="micro_grid").count() == 2
    year, quarter = actions.previous_quarter(today)
    rating = GridStarRating.objects.get(street=world.street)
    assert (rating.year, rating.quarter, rating.status) == (year, quarter, "published")
    assert rating.stars.count() == 2


@pytest.mark.parametrize(
    ("today", "year"),
    [("2026-12-02", 2026), ("2026-07-01", 2026), ("2027-03-15", 2026), ("2027-01-05", 2026)],
)
def test_the_demo_assesses_the_year_its_records_fall_in(today, year):
    assert demo.assessed_year(datetime.date.fromisoformat(today)) == year
