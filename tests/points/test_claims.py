"""A unit's claim earns points when completed and when well evaluated, once each."""

import pytest

from alliance.points.models import PointsKind
from projects import actions
from projects.models import Claim
from tests.projects.factories import ClaimFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(unit_operator, community):
    return ClaimFactory(
        project=ProjectFactory(grid_node=community), unit=unit_operator.unit, status=Claim.Status.APPROVED
    )


def test_completing_and_evaluating_a_claim_award_the_unit_once(claim, unit_operator, community_admin):
    actions.complete_claim(by=unit_operator, claim=claim)
    actions.complete_claim(by=unit_operator, claim=claim)  # a repeated request
    actions.evaluate_claim(by=community_admin, claim=claim, rating=5, comment="服务到位")
    actions.evaluate_claim(by=community_admin, claim=claim, rating=5, comment="再次提交")
    kinds = sorted(unit_operator.unit.points.values_list("kind", "points"))
    assert kinds == [(PointsKind.CLAIM_COMPLETED, 10), (PointsKind.CLAIM_EVALUATED, 5)]


def test_a_poor_evaluation_awards_nothing_more(claim, unit_operator, community_admin):
    actions.complete_claim(by=unit_operator, claim=claim)
    actions.evaluate_claim(by=community_admin, claim=claim, rating=2)
    assert list(unit_operator.unit.points.values_list("kind", flat=True)) == [PointsKind.CLAIM_COMPLETED]
