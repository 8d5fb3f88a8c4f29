"""Twenty people supporting at once around the threshold: one matter, every support counted once."""

import pytest

from alliance.committee.models import Matter
from alliance.proposals import actions
from alliance.proposals.models import Proposal, Support
from tests.concurrency import all_at_once
from tests.members.factories import ResidentFactory
from tests.proposals.factories import ProposalFactory, ProposalRuleFactory


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_supports_across_the_threshold_raise_one_matter(community, council):
    # Given a published proposal two supports short of its community's threshold of 10
    ProposalRuleFactory(community=community, threshold=10)
    proposal = ProposalFactory(community=community, status=Proposal.Status.PUBLISHED)
    for person in [ResidentFactory(grid_node=community) for _ in range(8)]:
        actions.support_proposal(by=person, proposal=proposal)
    people = [ResidentFactory(grid_node=community) for _ in range(20)]

    # When twenty more people support it at once, each on its own connection
    results = all_at_once([lambda p=p: actions.support_proposal(by=p, proposal=proposal) for p in people])

    # Then every support counts once, and the proposal became exactly one matter of the council
    assert results == ["ok"] * 20, results
    proposal.refresh_from_db()
    assert proposal.support_count == 28 == Support.objects.filter(proposal=proposal).count()
    assert proposal.status == Proposal.Status.RAISED
    assert Matter.objects.count() == 1
    assert proposal.matter.committee == council


@pytest.mark.django_db(transaction=True)
def test_one_person_supporting_twenty_times_at_once_counts_once(community, council):
    ProposalRuleFactory(community=community, threshold=1)
    proposal = ProposalFactory(community=community, status=Proposal.Status.PUBLISHED)
    person = ResidentFactory(grid_node=community)

    results = all_at_once([lambda: actions.support_proposal(by=person, proposal=proposal) for _ in range(20)])

    assert results.count("ok") == 1, results
    assert results.count("您已经支持过这条微建议了。") == 19, results
    proposal.refresh_from_db()
    assert (proposal.support_count, Matter.objects.count()) == (1, 1)
