"""A worker killed (SIGKILL) in the middle of a task: after a restart the task completes once, no reminder twice."""

import datetime
import signal
import threading

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from alliance.core.models import Notification
from services.models import OrderEvent
from tests.faults.conftest import wait_until, worker_log
from tests.services.factories import MenuItemFactory, OrderFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def blocked_backends() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


class _Rollback(Exception):
    pass


def hold_notification(recipient, key: str):
    """Insert (uncommitted, in another connection) the notification the sweep will try to write: its insert
    waits on the unique (recipient, key) index until ``release`` is set and this insert is rolled back."""
    ready, release = threading.Event(), threading.Event()

    def run():
        try:
            with transaction.atomic():
                Notification.objects.create(recipient=recipient, key=key, title="占位")
                ready.set()
                release.wait(60)
                raise _Rollback
        except _Rollback:
            pass
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    assert ready.wait(10)
    return release, thread


def test_worker_killed_mid_sweep_finishes_after_restart_without_duplicate_reminders(
    private_redis, worker_factory, unit_operator, community, tmp_path
):
    from alliance.celery import app

    item = MenuItemFactory(provider_unit=unit_operator.unit, grid_scope=community)
    submitted = timezone.now() - datetime.timedelta(days=30)
    first, second = (
        OrderFactory(menu_item=item, resident__grid_node=community, submitted_at=submitted) for _ in range(2)
    )
    # The sweep's reminder of the second order will wait on this uncommitted one (same recipient and key).
    release, holder = hold_notification(unit_operator, f"order:{second.pk}:remind")
    try:
        worker = worker_factory(redis_url=private_redis.url)
        with app.connection_for_write(private_redis.url) as conn:
            app.send_task("services.remind_unaccepted_orders", connection=conn)
        wait_until(
            lambda: blocked_backends() >= 1,
            timeout=40,
            what=f"the sweep to reach the second order\n{worker_log(tmp_path)}",
        )

        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        release.set()
        holder.join(10)

    reminders = Notification.objects.filter(recipient=unit_operator)
    # Killed half way: the first order was reminded and committed, the second not.
    assert set(reminders.values_list("key", flat=True)) == {f"order:{first.pk}:remind"}
    assert private_redis.client().hlen("unacked") == 1  # the broker still holds the unfinished task

    worker_factory(redis_url=private_redis.url)
    wait_until(
        lambda: reminders.filter(key=f"order:{second.pk}:remind").exists(),
        timeout=40,
        what=f"the restarted worker to finish the sweep\n{worker_log(tmp_path)}",
    )
    wait_until(
        lambda: private_redis.client().hlen("unacked") == 0 and private_redis.client().llen("celery") == 0,
        timeout=10,
        what="the task to be acknowledged",
    )

    assert sorted(reminders.values_list("key", flat=True)) == sorted(
        [f"order:{first.pk}:remind", f"order:{second.pk}:remind"]
    )
    reminded = OrderEvent.objects.filter(kind=OrderEvent.Kind.REMINDED)
    assert sorted(reminded.values_list("order_id", flat=True)) == sorted([first.pk, second.pk])
