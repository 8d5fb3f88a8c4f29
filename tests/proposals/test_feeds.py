"""The proposals' feed source (topic RESULTS): raised proposals and their results, by subtree, no personal data."""

import datetime

import pytest
from django.utils import timezone

from alliance.core import feeds
from alliance.proposals.models import Proposal
from tests.alliance.factories import MatterFactory
from tests.members.factories import ResidentFactory
from tests.proposals.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def test_raised_proposals_and_results_of_the_followed_area_only_without_names(community, other_community):
    now = timezone.now()
    author = ResidentFactory(grid_node=community, display_name="王秀英", phone="13812345678")
    resolved = MatterFactory(status="resolved", resolution="年内更换声控灯。", resolved_at=now)
    here = ProposalFactory(
        community=community, author=author, status=Proposal.Status.RAISED, raised_at=now, matter=resolved
    )
    ProposalFactory(community=other_community, status=Proposal.Status.RAISED, raised_at=now, matter=MatterFactory())
    ProposalFactory(community=community, status=Proposal.Status.PUBLISHED)

    items = feeds.collect(
        [community], [feeds.Topic.RESULTS], now - datetime.timedelta(days=1), now + datetime.timedelta(minutes=1)
    )

    mine = [i for i in items if i.key.startswith("proposal:")]
    assert {i.key for i in mine} == {f"proposal:{here.pk}:raised", f"proposal:{here.pk}:resolved"}
    assert all(i.url == f"/proposals/{here.pk}/" and i.area == community.name for i in mine)
    for item in mine:
        text = item.title + item.summary
        assert "王秀英" not in text and "13812345678" not in text
