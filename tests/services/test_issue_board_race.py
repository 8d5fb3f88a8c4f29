"""“同样遇到” once per person, whatever the concurrency: 20 clicks at once by one person make one row."""

import pytest

from services import actions
from services.models import IssueMeToo
from tests.concurrency import all_at_once
from tests.members.factories import ResidentFactory
from tests.services.factories import IssueFactory


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_me_too_by_one_person_make_one_row(community):
    # Given a public issue and a neighbour
    issue = actions.publish_issue(
        by=(reporter := ResidentFactory(grid_node=community)), issue=IssueFactory(reporter=reporter)
    )
    neighbour = ResidentFactory(grid_node=community)

    # When the neighbour's “同样遇到” arrives 20 times at once, each on its own connection
    results = all_at_once([lambda: actions.me_too(by=neighbour, issue=issue) for _ in range(20)])

    # Then one counts and the others are told they already did
    assert results.count("ok") == 1, results
    assert results.count("您已经点过“同样遇到”了。") == 19, results
    assert IssueMeToo.objects.filter(issue=issue, person=neighbour).count() == 1
