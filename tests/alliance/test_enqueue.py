"""Writes stay fast while the broker is unreachable: one fast attempt, then a pause; the sweep catches up."""

import pytest

from alliance.core import enqueue
from projects import actions
from projects.models import Match, Need
from projects.schedules import DEFAULT_SCHEDULES
from projects.tasks import match_all_task, match_need_task
from tests.members.factories import MemberUnitFactory
from tests.projects.factories import ResourceFactory, category

CLOSED_PORT = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def broker_unreachable():
    app = match_need_task.app
    original = app.conf.broker_url
    app.conf.broker_url = CLOSED_PORT
    yield
    app.conf.broker_url = original


@pytest.fixture
def attempts(monkeypatch):
    """Every real attempt to publish (each one goes to the broker, here: to the closed port)."""
    made = []
    real = enqueue.publish

    def counting(task, args):
        made.append(task.name)
        try:
            real(task, args)
        except Exception as exc:
            made[-1] = (task.name, type(exc).__name__)
            raise

    monkeypatch.setattr(enqueue, "publish", counting)
    return made


def create_needs(by, grid, n):
    return [actions.create_need(by=by, title=f"老人义诊{i}", category=category(), grid_node=grid) for i in range(n)]


def test_ten_writes_with_the_broker_unreachable_make_one_attempt_and_the_sweep_catches_up(
    community, community_admin, broker_unreachable, attempts, settings, django_capture_on_commit_callbacks
):
    settings.ENQUEUE_PAUSE_SECONDS = 600
    ResourceFactory(unit=MemberUnitFactory(grid_node=community), title="社区义诊")

    for i in range(10):
        with django_capture_on_commit_callbacks(execute=True):
            create_needs(community_admin, community, 1)
        assert Need.objects.count() == i + 1  # every write saved and answered

    # The first write tried once and failed; the nine after it did not touch the broker.
    assert attempts == [("projects.match_need", "OperationalError")]
    assert enqueue.broker_paused()
    assert not Match.objects.exists()

    # The periodic sweep (beat's nightly matching) does the work that was not enqueued.
    assert "projects.match_all" in {s["task"] for s in DEFAULT_SCHEDULES}
    match_all_task.apply()
    assert Match.objects.filter(kind=Match.Kind.RESOURCE).values("need").distinct().count() == 10


def test_after_the_pause_the_next_write_tries_again_and_closes_the_breaker(
    community, community_admin, attempts, settings, django_capture_on_commit_callbacks
):
    settings.ENQUEUE_PAUSE_SECONDS = 600
    enqueue.trip()
    with django_capture_on_commit_callbacks(execute=True):
        create_needs(community_admin, community, 1)
    assert attempts == []  # paused

    enqueue.reset()  # the pause is over
    conf = match_need_task.app.conf
    conf.task_always_eager = True  # a broker that answers: here the task runs in the test
    try:
        with django_capture_on_commit_callbacks(execute=True):
            create_needs(community_admin, community, 1)
    finally:
        conf.task_always_eager = False

    assert attempts == ["projects.match_need"]
    assert not enqueue.broker_paused()


def test_one_attempt_connects_once_without_retrying(broker_unreachable, monkeypatch):
    import redis.connection

    connects = []
    real = redis.connection.AbstractConnection.connect

    def counting(self, *args, **kwargs):
        connects.append(self)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(redis.connection.AbstractConnection, "connect", counting)

    with pytest.raises(Exception, match="Connection refused"):
        enqueue.publish(match_need_task, (1,))

    # The pooled default connection tries three times with back-off (about six seconds); ours once.
    assert len(connects) == 1
