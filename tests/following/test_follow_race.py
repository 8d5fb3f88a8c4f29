"""One follow per person and area, however many times at once: 20 threads on their own connections."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from alliance.core.feeds import Topic
from alliance.following import actions
from alliance.following.models import Follow

pytestmark = pytest.mark.django_db(transaction=True)


def test_twenty_concurrent_follows_of_one_area_make_one(follower, community):
    barrier = threading.Barrier(20)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run():
        try:
            barrier.wait()
            actions.follow(by=follower, node=community, topics=list(Topic.values), frequency="daily", channel="email")
            outcome = "followed"
        except ValidationError as exc:
            outcome = "refused" if "您已关注" in str(exc) else f"other: {exc}"
        except Exception as exc:  # noqa: BLE001 - any other failure is a finding
            outcome = f"error: {type(exc).__name__}: {exc}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(outcomes) == ["followed"] + ["refused"] * 19
    assert Follow.objects.filter(user=follower, node=community).count() == 1
