"""Domain events (alliance.core.events): heard after commit, never after a rollback, each receiver in its own
transaction, a failing receiver logged while the others run; and the test suite's stand-in for the commit
(tests/conftest.py ``_events_after_commit``) in ordinary ``db`` tests."""

import logging

import pytest
from django.db import transaction

from alliance.committee.models import Matter
from alliance.core import events
from tests.alliance.factories import MatterFactory


@pytest.fixture
def signal():
    return events.Signal()


@pytest.fixture
def connect(signal):
    """Connect functions with events.receiver (dispatch_uid from the function's name); disconnect them after."""
    connected = []

    def connect_(func):
        events.receiver(signal)(func)
        connected.append(f"{func.__module__}.{func.__qualname__}")
        return func

    yield connect_
    for uid in connected:
        signal.disconnect(dispatch_uid=uid)


@pytest.fixture
def heard(connect):
    calls = []

    @connect
    def record(sender, signal=None, **payload):
        calls.append((sender, payload))

    return calls


def test_the_receiver_gets_the_sender_and_the_payload(db, signal, heard):
    events.send_on_commit(signal, sender=Matter, instance="m", by="u", extra=1)
    assert heard == [(Matter, {"instance": "m", "by": "u", "extra": 1})]


def test_connecting_the_same_function_twice_connects_it_once(db, signal, connect, heard):
    def twice(**kwargs):
        heard.append("twice")

    connect(twice)
    connect(twice)
    events.send_now(signal, sender=Matter)
    assert heard.count("twice") == 1


def test_a_failing_receiver_is_logged_and_the_others_still_run(db, signal, connect, heard, caplog):
    @connect
    def broken(**kwargs):
        raise RuntimeError("boom")

    @connect
    def after(**kwargs):
        heard.append("after")

    with caplog.at_level(logging.ERROR, logger="alliance.core.events"):
        events.send_on_commit(signal, sender=Matter, instance=None, by=None)
    assert len(heard) == 2 and heard[1] == "after"
    [record] = [r for r in caplog.records if r.name == "alliance.core.events"]
    assert "broken" in record.getMessage() and "Matter" in record.getMessage()
    assert record.exc_info and isinstance(record.exc_info[1], RuntimeError)


# --- db tests: the conftest's stand-in for the commit -------------------------------------------


def test_an_event_sent_outside_any_block_of_the_code_is_heard_at_once(db, signal, heard):
    events.send_on_commit(signal, sender=Matter)
    assert len(heard) == 1


def test_an_event_is_heard_when_the_outermost_block_of_the_action_ends(db, signal, heard):
    with transaction.atomic():
        with transaction.atomic():
            events.send_on_commit(signal, sender=Matter)
        assert heard == []  # an inner block's end is no commit
    assert len(heard) == 1


def test_an_event_is_dropped_when_the_action_rolls_back(db, signal, heard):
    with pytest.raises(RuntimeError), transaction.atomic():
        events.send_on_commit(signal, sender=Matter)
        raise RuntimeError
    assert heard == []


def test_a_rolled_back_savepoint_drops_only_its_own_events(db, signal, heard):
    with transaction.atomic():
        events.send_on_commit(signal, sender=Matter, which="kept")
        with pytest.raises(RuntimeError), transaction.atomic():
            events.send_on_commit(signal, sender=Matter, which="dropped")
            raise RuntimeError
    assert [payload["which"] for _, payload in heard] == ["kept"]


# --- transactional tests: real commits -------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_an_event_is_heard_after_the_commit_and_not_after_a_rollback(signal, heard, committee):
    with pytest.raises(RuntimeError), transaction.atomic():
        events.send_on_commit(signal, sender=Matter)
        raise RuntimeError
    assert heard == []
    with transaction.atomic():
        events.send_on_commit(signal, sender=Matter)
        assert heard == []
    assert len(heard) == 1


@pytest.mark.django_db(transaction=True)
def test_each_receiver_runs_in_its_own_transaction(signal, connect, committee, caplog):
    @connect
    def writes_then_fails(**kwargs):
        MatterFactory(committee=committee, title="失败者写的")
        raise RuntimeError("boom")

    @connect
    def writes(**kwargs):
        MatterFactory(committee=committee, title="成功者写的")

    with caplog.at_level(logging.ERROR, logger="alliance.core.events"), transaction.atomic():
        MatterFactory(committee=committee, title="动作写的")
        events.send_on_commit(signal, sender=Matter)
    assert sorted(Matter.objects.values_list("title", flat=True)) == sorted(["动作写的", "成功者写的"])
