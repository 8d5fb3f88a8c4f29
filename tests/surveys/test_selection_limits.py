"""Votes are rate-limited (scope "vote") on the page and in the API, and the beat job ends voting by itself."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from alliance.core.schedules import default_schedules
from alliance.surveys.models import Selection
from alliance.surveys.selection_tasks import close_expired_selections_task
from tests.members.factories import ResidentFactory
from tests.surveys.selection_factories import voting_selection

pytestmark = pytest.mark.django_db


@pytest.fixture
def limited(settings):
    cache.clear()
    settings.RATE_LIMITS = {"vote": "2/h"}
    yield
    cache.clear()


def test_the_vote_page_is_rate_limited(client, community, limited):
    selections = [voting_selection(community, candidates=2) for _ in range(3)]
    client.force_login(ResidentFactory(grid_node=community))
    answers = [
        client.post(reverse("surveys:selection_vote", args=[s.pk]), {"candidate": s.candidates.first().pk})
        for s in selections
    ]
    assert [a.status_code for a in answers] == [302, 302, 429]
    assert "操作过于频繁" in answers[2].content.decode()


def test_the_vote_api_is_rate_limited_and_reading_is_not(community, limited):
    selections = [voting_selection(community, candidates=2) for _ in range(3)]
    api = APIClient()
    api.force_authenticate(ResidentFactory(grid_node=community))
    codes = [
        api.post(f"/api/v1/selections/{s.pk}/vote/", {"candidate": s.candidates.first().pk}, format="json").status_code
        for s in selections
    ]
    assert codes == [201, 201, 429]
    assert all(api.get("/api/v1/selections/").status_code == 200 for _ in range(4))


def test_the_beat_job_ends_the_voting_past_its_window(community):
    now = timezone.now()
    past = voting_selection(
        community, starts_at=now - datetime.timedelta(days=2), ends_at=now - datetime.timedelta(seconds=1)
    )
    assert close_expired_selections_task.apply().get() == 1
    past.refresh_from_db()
    assert past.status == Selection.Status.CLOSED
    assert "surveys.close_expired_selections" in {s["task"] for s in default_schedules()}
