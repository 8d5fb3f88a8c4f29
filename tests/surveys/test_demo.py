"""The demo's surveys: made through the actions, answered, published, and made once."""

import pytest

from alliance.demo import surveys as demo
from alliance.surveys.models import Survey, SurveyResponse
from projects.models import Need
from tests.grids.factories import CommunityFactory, MicroGridFactory, StreetFactory
from tests.members.factories import CommunityAdminFactory
from tests.projects.factories import ensure_categories
from tests.services.factories import ServiceStationFactory

pytestmark = pytest.mark.django_db


def test_the_demo_surveys_are_made_once():
    ensure_categories()
    street = StreetFactory(name="舜玉路街道", code="SY")
    community = CommunityFactory(parent=street, name="舜园社区")
    MicroGridFactory(parent=community)
    CommunityAdminFactory(grid_node=community, username="community_admin")
    station = ServiceStationFactory(grid_node=community)
    demo.seed()
    closed = Survey.objects.get(title=demo.CLOSED_TITLE)
    assert closed.status == Survey.Status.PUBLISHED and closed.responses.count() == 48
    assert Survey.objects.get(title=demo.OPEN_TITLE).status == Survey.Status.OPEN
    poll = Survey.objects.get(title=demo.POLL_TITLE)
    assert (poll.kind, poll.station, poll.status, poll.responses.count()) == ("satisfaction", station, "published", 32)
    assert Need.objects.filter(description__contains=demo.CLOSED_TITLE).count() == 2
    counts = (Survey.objects.count(), SurveyResponse.objects.count(), Need.objects.count())
    demo.seed()
    assert (Survey.objects.count(), SurveyResponse.objects.count(), Need.objects.count()) == counts
