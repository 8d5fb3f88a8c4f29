"""The year-end figures and scores of a small street, counted by hand (tests/assessment/conftest.py)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliance.assessment import actions
from alliance.assessment.models import AssessmentResult, Grade
from tests.assessment.conftest import YEAR
from tests.grids.factories import MicroGridFactory
from tests.members.factories import MemberUnitFactory
from tests.services.factories import ServiceStationFactory

pytestmark = pytest.mark.django_db

D = Decimal


def _rows(world, weights=None):
    rows = actions.assessment_rows(world.street, YEAR, weights or actions.default_weights())
    return {(r["kind"], r["subject_id"]): r for r in rows}


def test_a_unit_gets_its_claims_services_meetings_and_satisfaction(world):
    row = _rows(world)[("unit", world.unit_a.pk)]
    # Claims: 2 done (2024's not counted), rated 5 and 4 → 2 × 12 + 4.5 / 5 × 40 = 60.
    assert (row["claims_done"], row["claims_rating"], row["claims_score"]) == (2, D("4.50"), D("60.0"))
    # Services: 3 delivered, rated 5 and 5 → 3 × 6 + 5 / 5 × 40 = 58.
    assert (row["orders_delivered"], row["orders_rating"], row["services_score"]) == (3, D("5.00"), D("58.0"))
    # Meetings: 2 held, signed in at 1 → 50; the scheduled one is not counted.
    assert (row["meetings_invited"], row["meetings_attended"], row["meetings_score"]) == (2, 1, D("50.0"))
    # Issues do not apply to a unit; satisfaction: ratings 5, 4, 5, 5 → 4.75 → 95.
    assert row["issues_score"] is None
    assert (row["satisfaction_avg"], row["satisfaction_count"], row["satisfaction_score"]) == (D("4.75"), 4, D("95.0"))
    # (20 × 60 + 25 × 58 + 15 × 50 + 20 × 95) / 80 = 66.25 → 66.3, 合格, first of two units.
    assert (row["total"], row["grade"], row["rank"]) == (D("66.3"), Grade.PASS, 1)


def test_a_unit_that_did_nothing_fails_and_ranks_last(world):
    row = _rows(world)[("unit", world.unit_b.pk)]
    assert (row["claims_score"], row["services_score"]) == (D("0.0"), D("0.0"))
    assert row["meetings_score"] is row["satisfaction_score"] is None
    assert (row["total"], row["grade"], row["rank"]) == (D("0.0"), Grade.FAIL, 2)


def test_a_micro_grid_and_its_joint_duty_team_count_what_happened_there(world):
    rows = _rows(world)
    grid = rows[("micro_grid", world.grid_a.pk)]
    # Issues: 4 reported, 2 closed in time (the auto-escalated one and the one in handling are not) → 50.
    assert (grid["issues_reported"], grid["issues_in_time"], grid["issues_score"]) == (4, 2, D("50.0"))
    # Satisfaction: issues rated 4 and 2, orders 5 and 5 → 4.0 → 80.
    assert (grid["satisfaction_avg"], grid["satisfaction_score"]) == (D("4.00"), D("80.0"))
    assert (grid["claims_score"], grid["services_score"], grid["meetings_score"]) == (D("60.0"), D("58.0"), None)
    # (20 × 60 + 25 × 58 + 20 × 50 + 20 × 80) / 85 = 61.76 → 61.8.
    assert (grid["total"], grid["grade"], grid["rank"]) == (D("61.8"), Grade.PASS, 1)
    team = rows[("team", world.team.pk)]
    assert team["name"] == "舜园1号楼微网格 · 联勤队伍"
    assert team["total"] == D("61.8")
    assert sum(1 for kind, _pk in rows if kind == "team") == 1  # the volunteer team is not assessed
    other = rows[("micro_grid", world.grid_b.pk)]
    # 1 order rated 3: services 6 + 24 = 30, satisfaction 60 → (25 × 30 + 20 × 60) / 65 = 30.
    assert (other["services_score"], other["satisfaction_score"], other["total"], other["rank"]) == (
        D("30.0"),
        D("60.0"),
        D("30.0"),
        2,
    )


def test_a_station_counts_its_own_menu_and_the_issues_of_its_area(world):
    row = _rows(world)[("station", world.station.pk)]
    # Its menu: 1 order rated 3 → 6 + 24 = 30; issues of the community: 50; satisfaction (4 + 2 + 3) / 3 = 3 → 60.
    assert (row["orders_delivered"], row["services_score"]) == (1, D("30.0"))
    assert (row["issues_score"], row["satisfaction_score"], row["claims_score"]) == (D("50.0"), D("60.0"), D("60.0"))
    # (20 × 60 + 25 × 30 + 20 × 50 + 20 × 60) / 85 = 48.82 → 48.8, 不合格.
    assert (row["total"], row["grade"]) == (D("48.8"), Grade.FAIL)


def test_the_weights_change_the_total(world):
    weights = {"claims": 0, "services": 0, "meetings": 100, "issues": 0, "satisfaction": 0}
    row = _rows(world, weights)[("unit", world.unit_a.pk)]
    assert row["total"] == D("50.0")


def test_the_figures_take_the_same_queries_for_one_subject_or_many(world, street):
    with CaptureQueriesContext(connection) as few:
        actions.assessment_rows(street, YEAR, actions.default_weights())
    for _n in range(5):
        MemberUnitFactory(grid_node=world.community)
        ServiceStationFactory(grid_node=MicroGridFactory(parent=world.community))
    with CaptureQueriesContext(connection) as many:
        rows = actions.assessment_rows(street, YEAR, actions.default_weights())
    # Nodes, 5 node figures (claims, orders, invitations, issues, activities), 3 unit figures (claims, orders,
    # invitations), station orders, the satisfaction polls' scores, and the units, stations and teams assessed: 14.
    assert len(few.captured_queries) == len(many.captured_queries) == 14
    assert len(rows) > 10


def test_computing_writes_the_rows(world, street_admin):
    assessment = actions.open_assessment(by=street_admin, street=world.street, year=YEAR)
    actions.compute_assessment(by=street_admin, assessment=assessment)
    assert AssessmentResult.objects.filter(assessment=assessment).count() == 2 + 1 + 2 + 1
    assert assessment.computed_by == street_admin and assessment.computed_at
