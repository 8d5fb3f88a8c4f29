"""One vote per person under concurrency: twenty attempts of one person at once, each on its own connection."""

import threading

import pytest
from django.db import connections

from alliance.core.errors import Conflict
from alliance.surveys import actions
from alliance.surveys.models import Vote
from tests.members.factories import ResidentFactory
from tests.surveys.selection_factories import voting_selection


def _all_at_once(calls) -> list[str]:
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
def test_one_person_voting_twenty_times_at_once_gets_one_vote(community):
    selection = voting_selection(community, candidates=4)
    candidates = list(selection.candidates.all())
    person = ResidentFactory(grid_node=community)

    choices = [candidates[i % 4] for i in range(20)]  # the attempts name different candidates
    calls = [lambda c=c: actions.cast_vote(by=person, selection=selection, candidate=c) for c in choices]
    results = _all_at_once(calls)

    assert results.count("ok") == 1, results
    assert results.count("您已经投过票了，每人只能投一票。") == 19, results
    assert Vote.objects.filter(selection=selection, voter=person).count() == 1
