"""“同样遇到” once per person, whatever the concurrency: 20 clicks at once by one person make one row."""

import threading

import pytest
from django.db import connections

from alliance.core.errors import Conflict
from services import actions
from services.models import IssueMeToo
from tests.members.factories import ResidentFactory
from tests.services.factories import IssueFactory


def _all_at_once(calls) -> list[str]:
    """Run every call in its own thread (its own database connection), released together: their outcomes."""
    barrier = threading.Barrier(len(calls))
    results: list[str] = []
    lock = threading.Lock()

    def run(call):
        try:
            barrier.wait()
            call()
            outcome = "ok"
        except Conflict as exc:
            outcome = exc.message
        except Exception as exc:  # noqa: BLE001 - any other error fails the test
            outcome = f"error: {exc!r}"
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_me_too_by_one_person_make_one_row(community):
    # Given a public issue and a neighbour
    issue = actions.publish_issue(
        by=(reporter := ResidentFactory(grid_node=community)), issue=IssueFactory(reporter=reporter)
    )
    neighbour = ResidentFactory(grid_node=community)

    # When the neighbour's “同样遇到” arrives 20 times at once, each on its own connection
    results = _all_at_once([lambda: actions.me_too(by=neighbour, issue=issue) for _ in range(20)])

    # Then one counts and the others are told they already did
    assert results.count("ok") == 1, results
    assert results.count("您已经点过“同样遇到”了。") == 19, results
    assert IssueMeToo.objects.filter(issue=issue, person=neighbour).count() == 1
