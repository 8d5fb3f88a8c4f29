"""The sweeps and a fan-out batch commit without waiting for the disk (alliance.core.commits), and only they: what a
crash of the database loses of them, their next run sends. Everything else keeps waiting for its commit."""

import datetime

import pytest
from django.db import DataError, connection, transaction

from alliance.core import fanout
from alliance.core.commits import commits_not_awaited
from alliance.core.models import BroadcastBatch
from members.audiences import RESIDENTS
from services import actions
from services.actions import reminders
from tests.members.factories import ResidentFactory
from tests.services.test_jobs import MONDAY
from tests.services.test_sweep_chunks import LATER, overdue_orders

pytestmark = pytest.mark.django_db


def setting() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


def recording(monkeypatch, module, name: str) -> list[str]:
    """Replace ``module.name`` by itself, noting the connection's synchronous_commit at each call."""
    seen: list[str] = []
    original = getattr(module, name)

    def noting(*args, **kwargs):
        seen.append(setting())
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, noting)
    return seen


def test_the_order_sweep_commits_each_reminder_without_waiting_and_waits_again_after(community, monkeypatch):
    # Given two orders nobody accepted
    overdue_orders(community, 2)
    seen = recording(monkeypatch, reminders, "notify_many")
    assert setting() == "on"
    # When the sweep runs, then each reminder and escalation is written with synchronous_commit off
    assert actions.remind_unaccepted_orders(now=LATER) == {"reminded": 2, "escalated": 2}
    assert seen == ["off"] * 4
    # and the connection waits for its commits again afterwards (a worker's next task is not concerned)
    assert setting() == "on"
    # and a second run, as after a crash that lost nothing, sends nothing twice
    assert actions.remind_unaccepted_orders(now=LATER) == {"reminded": 0, "escalated": 0}


def test_the_issue_sweep_escalates_without_waiting(resident, micro_grid, community, monkeypatch):
    actions.report_issue(by=resident, title="井盖缺失", text="小区东门井盖缺失", grid_node=micro_grid, now=MONDAY)
    seen = recording(monkeypatch, reminders, "escalate_issue")
    assert actions.escalate_overdue_issues(now=MONDAY + datetime.timedelta(days=1, minutes=1)) == 1
    assert seen == ["off"]
    assert setting() == "on"


def test_a_fan_out_batch_writes_without_waiting(community, monkeypatch):
    ResidentFactory(grid_node=community)
    job = fanout.broadcast(key="test:commits", audience=RESIDENTS, area="", title="通知公告：停水")
    fanout.start(job.pk)
    seen = recording(monkeypatch, fanout, "_write_rows")
    assert fanout.run_batch(BroadcastBatch.objects.get(broadcast=job).pk) == "1 notifications, 0 deliveries"
    assert seen == ["off"]
    assert setting() == "on"


def test_the_setting_comes_back_when_the_block_fails():
    with pytest.raises(ZeroDivisionError), commits_not_awaited():
        assert setting() == "off"
        1 / 0  # noqa: B018 - the block fails in Python
    assert setting() == "on"


def test_a_database_error_in_the_block_is_the_one_raised_and_its_rollback_restores_the_setting():
    # An error that aborts the enclosing transaction: the reset cannot run there, and must not hide the error.
    with pytest.raises(DataError), transaction.atomic(), commits_not_awaited(), connection.cursor() as cursor:
        cursor.execute("SELECT 1 / 0")
    assert setting() == "on"
