"""A satisfaction poll (满意度测评) of a station or a unit counts in its year-end satisfaction, by hand."""

from decimal import Decimal

import pytest

from alliance.assessment import actions as assessment_actions
from alliance.surveys.models import Answer, Question, Survey, SurveyResponse
from tests.assessment.conftest import YEAR, at, world  # noqa: F401 - the assessment's small street
from tests.members.factories import ResidentFactory
from tests.surveys.factories import QuestionFactory, SurveyFactory

pytestmark = pytest.mark.django_db
D = Decimal


def _poll(node, scores_by_question, **kwargs):
    """A closed poll whose scale questions got ``scores_by_question`` (one list per question, one score per person)."""
    survey = SurveyFactory(grid_node=node, kind=Survey.Kind.SATISFACTION, status=Survey.Status.CLOSED, **kwargs)
    questions = [
        QuestionFactory(survey=survey, kind=Question.Kind.SCALE, options="", text=f"满意度{i}")
        for i in range(len(scores_by_question))
    ]
    for person in range(len(scores_by_question[0])):
        response = SurveyResponse.objects.create(
            survey=survey, respondent=ResidentFactory(grid_node=node), submitted_at=at(6, 1)
        )
        for question, scores in zip(questions, scores_by_question, strict=True):
            Answer.objects.create(response=response, question=question, number=scores[person])
    return survey


def _rows(street_world):
    rows = assessment_actions.assessment_rows(street_world.street, YEAR, assessment_actions.default_weights())
    return {(r["kind"], r["subject_id"]): r for r in rows}


def test_a_station_poll_joins_its_residents_ratings(world):  # noqa: F811
    # Given the station's ratings 4, 2, 3 (tests/assessment) and its poll of the year: 5, 4, 3 and 5, 5, 5
    _poll(world.community, [[5, 4, 3], [5, 5, 5]], station=world.station, period_year=YEAR, period_quarter=2)
    # and a poll of last year and a needs survey's scale, which do not count
    _poll(world.community, [[1]], station=world.station, period_year=YEAR - 1)
    row = _rows(world)[("station", world.station.pk)]
    # Then satisfaction = (4 + 2 + 3 + 5 + 4 + 3 + 5 + 5 + 5) / 9 = 36 / 9 = 4.00 → 80
    assert (row["satisfaction_avg"], row["satisfaction_count"], row["satisfaction_score"]) == (D("4.00"), 9, D("80.0"))
    # (20 × 60 + 25 × 30 + 20 × 50 + 20 × 80) / 85 = 53.53 → 53.5
    assert row["total"] == D("53.5")


def test_a_unit_poll_counts_on_a_five_point_scale(world):  # noqa: F811
    # Given unit 1's ratings 5, 4, 5, 5 and a poll naming no year, answered in the year, scored 2 and 3 out of 5,
    # and 6 out of 10 (3 on five points)
    survey = _poll(world.community, [[2, 3]], unit=world.unit_a)
    wide = QuestionFactory(survey=survey, kind=Question.Kind.SCALE, options="", scale_max=10)
    Answer.objects.create(response=survey.responses.first(), question=wide, number=6)
    row = _rows(world)[("unit", world.unit_a.pk)]
    # Then (5 + 4 + 5 + 5 + 2 + 3 + 3) / 7 = 27 / 7 = 3.857 → 3.86, and 3.86 / 5 × 100 = 77.2
    assert (row["satisfaction_avg"], row["satisfaction_count"]) == (D("3.86"), 7)
    assert row["satisfaction_score"] == D("77.2")
