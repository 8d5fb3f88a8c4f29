"""One vote per person under concurrency: twenty attempts of one person at once, each on its own connection."""

import pytest

from alliance.surveys import actions
from alliance.surveys.models import Vote
from tests.concurrency import all_at_once
from tests.members.factories import ResidentFactory
from tests.surveys.selection_factories import voting_selection


@pytest.mark.django_db(transaction=True)
def test_one_person_voting_twenty_times_at_once_gets_one_vote(community):
    selection = voting_selection(community, candidates=4)
    candidates = list(selection.candidates.all())
    person = ResidentFactory(grid_node=community)

    choices = [candidates[i % 4] for i in range(20)]  # the attempts name different candidates
    calls = [lambda c=c: actions.cast_vote(by=person, selection=selection, candidate=c) for c in choices]
    results = all_at_once(calls)

    assert results.count("ok") == 1, results
    assert results.count("您已经投过票了，每人只能投一票。") == 19, results
    assert Vote.objects.filter(selection=selection, voter=person).count() == 1
