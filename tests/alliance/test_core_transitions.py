"""The kernel's transition helper (alliance.core.transitions) on a real workflow model, the committee's Matter:
state, stamps, history, update_fields, refusals, conflicts, row locks and the event after commit."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.db.models.signals import pre_save

from alliance.committee.models import Matter
from alliance.core import events
from alliance.core.errors import Conflict
from alliance.core.transitions import transition
from tests.alliance.factories import MatterFactory

S = Matter.Status
REFUSED = "只有提出或暂缓的议题才能开始研究。"
TAKEN = "该议题已在研究中。"


def study(matter, by=None, **kwargs):
    return transition(
        matter,
        to=S.UNDER_STUDY,
        sources=(S.PROPOSED, S.DEFERRED),
        refused=REFUSED,
        conflict={S.UNDER_STUDY: TAKEN},
        by=by,
        stamp="studied",
        **kwargs,
    )


@pytest.fixture
def matter(committee):
    return MatterFactory(committee=committee, status=S.PROPOSED, title="共建停车场")


@pytest.fixture
def heard():
    """A signal of this test's own with one receiver connected through events.receiver (disconnected after)."""
    signal = events.Signal()
    calls = []

    def matter_moved(sender, instance, by, signal=None, **payload):
        calls.append((sender, instance.pk, instance.status, by, payload))

    events.receiver(signal)(matter_moved)
    yield signal, calls
    signal.disconnect(dispatch_uid=f"{matter_moved.__module__}.{matter_moved.__qualname__}")


def test_a_transition_moves_the_state_stamps_who_and_when_and_updates_the_instance(matter, street_admin):
    returned = study(matter, by=street_admin)
    assert returned is matter
    assert matter.status == S.UNDER_STUDY and matter.studied_by == street_admin and matter.studied_at is not None
    matter.refresh_from_db()
    assert (matter.status, matter.studied_by) == (S.UNDER_STUDY, street_admin)


def test_the_given_time_is_the_stamp(matter, street_admin):
    moment = matter.created_at.replace(microsecond=0)
    study(matter, by=street_admin, now=moment)
    matter.refresh_from_db()
    assert matter.studied_at == moment


def test_a_transition_saves_only_the_fields_it_changes(matter, street_admin):
    seen = []

    def remember(sender, instance, update_fields=None, **kwargs):
        seen.append(set(update_fields or ()))

    pre_save.connect(remember, sender=Matter, dispatch_uid="test.transition.update_fields")
    try:
        study(matter, by=street_admin, fields={"description": "交由城管科研究"})
    finally:
        pre_save.disconnect(dispatch_uid="test.transition.update_fields")
    assert seen == [{"status", "studied_at", "studied_by", "description"}]


def test_a_transition_writes_a_history_row_naming_who_did_it(matter, street_admin):
    before = matter.history.count()
    study(matter, by=street_admin)
    assert matter.history.count() == before + 1
    latest = matter.history.first()
    assert (latest.status, latest.history_type, latest.history_user) == (S.UNDER_STUDY, "~", street_admin)


def test_the_timeline_row_is_written_by_the_model(matter, street_admin, monkeypatch):
    written = []
    monkeypatch.setattr(Matter, "record_timeline", lambda self, kind, **kw: written.append((kind, kw)), raising=False)
    study(matter, by=street_admin, timeline="studied", note="上会研究", details={"meeting": 7})
    [(kind, kw)] = written
    assert kind == "studied" and kw["by"] == street_admin and kw["note"] == "上会研究" and kw["meeting"] == 7
    assert kw["at"] == Matter.objects.get(pk=matter.pk).studied_at


def test_a_state_not_among_the_sources_is_refused_with_the_message_and_nothing_changes(committee):
    start = S.RESOLVED
    matter = MatterFactory(committee=committee, status=start)
    with pytest.raises(ValidationError) as info:
        study(matter)
    assert info.value.messages == [REFUSED]
    matter.refresh_from_db()
    assert matter.status == start and matter.studied_at is None


def test_a_state_named_in_conflict_is_a_conflict(committee, street_admin):
    matter = MatterFactory(committee=committee, status=S.UNDER_STUDY)
    before = matter.history.count()
    with pytest.raises(Conflict, match=TAKEN):
        study(matter, by=street_admin)
    assert matter.history.count() == before


def test_the_state_is_read_from_the_locked_row_not_from_the_stale_instance(matter, street_admin):
    Matter.objects.filter(pk=matter.pk).update(status=S.UNDER_STUDY)  # someone else, meanwhile
    assert matter.status == S.PROPOSED
    with pytest.raises(Conflict):
        study(matter, by=street_admin)


def test_the_event_is_sent_with_the_instance_and_who_once_the_action_ends(matter, street_admin, heard):
    signal, calls = heard
    study(matter, by=street_admin, event=signal, payload={"reason": "上会"})
    assert calls == [(Matter, matter.pk, S.UNDER_STUDY, street_admin, {"reason": "上会"})]


def test_a_refused_transition_sends_no_event(committee, heard):
    signal, calls = heard
    with pytest.raises(ValidationError):
        study(MatterFactory(committee=committee, status=S.RESOLVED), event=signal)
    assert calls == []


def test_inside_a_larger_action_the_event_waits_for_its_end_and_is_dropped_if_it_fails(matter, street_admin, heard):
    signal, calls = heard
    with pytest.raises(RuntimeError), transaction.atomic():
        study(matter, by=street_admin, event=signal)
        assert calls == []  # not yet: the action has not ended
        raise RuntimeError("the rest of the action fails")
    assert calls == []
    matter.refresh_from_db()
    assert matter.status == S.PROPOSED  # rolled back with it

    with transaction.atomic():
        study(matter, by=street_admin, event=signal)
        assert calls == []
    assert [c[2] for c in calls] == [S.UNDER_STUDY]


@pytest.mark.django_db(transaction=True)
def test_of_two_concurrent_transitions_exactly_one_wins_the_other_is_a_conflict(committee, street_admin):
    matter = MatterFactory(committee=committee, status=S.PROPOSED)
    first_holds_the_lock = threading.Event()
    results: dict[str, str] = {}

    def first():
        try:
            with transaction.atomic():
                study(Matter.objects.get(pk=matter.pk), by=street_admin)
                first_holds_the_lock.set()
                time.sleep(0.5)  # the second one reads the row meanwhile: it must wait for this commit
            results["first"] = "ok"
        except Exception as exc:  # noqa: BLE001 - reported below
            results["first"] = repr(exc)
        finally:
            first_holds_the_lock.set()
            connections.close_all()

    def second():
        try:
            first_holds_the_lock.wait(5)
            study(Matter.objects.get(pk=matter.pk), by=street_admin)  # its instance still says "proposed"
            results["second"] = "ok"
        except Conflict as exc:
            results["second"] = exc.message
        except Exception as exc:  # noqa: BLE001 - reported below
            results["second"] = repr(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert results == {"first": "ok", "second": TAKEN}
    matter.refresh_from_db()
    assert matter.status == S.UNDER_STUDY
    assert matter.history.filter(status=S.UNDER_STUDY).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_event_is_heard_after_the_commit_and_never_after_a_rollback(committee, street_admin, heard):
    signal, calls = heard
    matter = MatterFactory(committee=committee, status=S.PROPOSED)
    seen_in_database = []

    def look(**kwargs):
        # Runs after commit: another connection would see the new state.
        seen_in_database.append(Matter.objects.get(pk=matter.pk).status)

    events.receiver(signal)(look)
    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            study(matter, by=street_admin, event=signal)
            raise RuntimeError("rolled back")
        assert calls == [] and seen_in_database == []

        with transaction.atomic():
            study(Matter.objects.get(pk=matter.pk), by=street_admin, event=signal)
            assert calls == []  # not before the commit
        assert [c[2] for c in calls] == [S.UNDER_STUDY]
        assert seen_in_database == [S.UNDER_STUDY]
    finally:
        signal.disconnect(dispatch_uid=f"{look.__module__}.{look.__qualname__}")
