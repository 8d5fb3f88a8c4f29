"""The monthly jobs: registered tasks named in the default schedules, safe to run twice."""

import pytest

from alliance.celery import app
from alliance.points import schedules, tasks
from alliance.points.models import PointsRanking, StarRating
from tests.members.factories import MemberUnitFactory, PartyMemberFactory
from tests.points.factories import PointsEntryFactory

pytestmark = pytest.mark.django_db


def test_default_schedules_name_registered_tasks():
    app.loader.import_default_modules()
    assert {s["task"] for s in schedules.DEFAULT_SCHEDULES} <= set(app.tasks)


def test_monthly_tasks_run_twice_without_doing_anything_twice(street, community):
    PointsEntryFactory(member=PartyMemberFactory(community=community, unit=None), points=4)  # March 2026
    MemberUnitFactory(grid_node=community)
    for _ in range(2):
        tasks.publish_monthly_rankings_task.apply(kwargs={"today": "2026-04-01"}).get()
        tasks.compute_star_ratings_task.apply(kwargs={"today": "2026-04-01"}).get()
        tasks.warn_behind_hours_task.apply(kwargs={"today": "2026-04-01"}).get()
    assert PointsRanking.objects.get(street=street, year=2026, month=3).rows.count() == 1
    assert StarRating.objects.filter(year=2026, month=3).count() == 1
