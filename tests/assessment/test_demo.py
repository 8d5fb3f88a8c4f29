"""The demo's assessment step: last year's published assessment and last quarter's stars; run twice, no change."""

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


def test_the_demo_publishes_last_years_assessment_and_last_quarters_stars(world):
    StreetAdminFactory(grid_node=world.street, username="street_admin")
    demo.seed()
    first = _counts()
    demo.seed()
    assert _counts() == first
    today = timezone.localdate()
    assessment = Assessment.objects.get(street=world.street, year=today.year - 1)
    assert Assessment.objects.get(street=world.street, year=today.year).status == "draft"  # this year's, waiting
    assert (assessment.year, assessment.status, assessment.weights()) == (
        today.year - 1,
        "published",
        demo.DEMO_WEIGHTS,
    )
    assert assessment.results.filter(kind="micro_grid").count() == 2
    year, quarter = actions.previous_quarter(today)
    rating = GridStarRating.objects.get(street=world.street)
    assert (rating.year, rating.quarter, rating.status) == (year, quarter, "published")
    assert rating.stars.count() == 2
