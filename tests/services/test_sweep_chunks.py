"""The order sweep split into chunk tasks that any number of worker processes share: every due order is reminded
and escalated exactly once, whether the chunks run in one process, twice, or in two sweeps at the same time."""

import datetime
import json
import threading
import time

import pytest
import redis
from django.conf import settings
from django.db import connections

from alliance.committee.models import JobRun
from alliance.core.job_runs import scheduled_task_names
from alliance.core.models import Notification
from services import tasks
from services.actions import reminders
from services.models import Order, OrderEvent
from services.tasks import remind_unaccepted_orders_task
from tests.members.factories import CommunityAdminFactory, MemberUnitFactory, ResidentFactory, UnitOperatorFactory
from tests.services.factories import MenuItemFactory
from tests.services.test_jobs import MONDAY

LATER = MONDAY + datetime.timedelta(days=7)  # every order submitted on MONDAY is past both limits


def overdue_orders(community, count: int, *, admin: bool = True):
    """``count`` orders from Monday nobody accepted, alternating between two units' menu items; one community
    admin (unless told not). Returns the orders and, by order id, the operator its reminder goes to."""
    resident = ResidentFactory(grid_node=community)
    items, operators = [], {}
    for _ in range(2):
        unit = MemberUnitFactory(grid_node=community)
        item = MenuItemFactory(provider_unit=unit, grid_scope=community)
        operators[item.pk] = UnitOperatorFactory(unit=unit, grid_node=community)
        items.append(item)
    if admin:
        CommunityAdminFactory(grid_node=community)
    orders = Order.objects.bulk_create(
        Order(
            resident=resident,
            menu_item=items[n % 2],
            category=items[n % 2].category,
            grid_node=community,
            address="舜玉小区3号楼",
            submitted_at=MONDAY,
        )
        for n in range(count)
    )
    return orders, {o.pk: operators[o.menu_item_id] for o in orders}


def assert_each_order_reminded_and_escalated_once(orders, operator_of, admin_node):
    ids = [o.pk for o in orders]
    reminders_sent = Notification.objects.filter(key__endswith=":remind")
    assert sorted(reminders_sent.values_list("key", "recipient_id")) == sorted(
        (f"order:{pk}:remind", operator_of[pk].pk) for pk in ids
    )
    escalations = Notification.objects.filter(key__endswith=":escalate")
    assert sorted(escalations.values_list("key", flat=True)) == sorted(f"order:{pk}:escalate" for pk in ids)
    assert set(escalations.values_list("recipient__grid_node", flat=True)) == {admin_node.pk}
    for kind in (OrderEvent.Kind.REMINDED, OrderEvent.Kind.ESCALATED):
        assert sorted(OrderEvent.objects.filter(kind=kind).values_list("order_id", flat=True)) == sorted(ids)


def test_the_sweep_sends_every_due_order_in_one_chunk_task_exactly_once(community, monkeypatch):
    # Given ten due orders, one order submitted too late to be due, and chunks of four,
    orders, operator_of = overdue_orders(community, 10)
    (fresh,), _ = overdue_orders(community, 1, admin=False)
    Order.objects.filter(pk=fresh.pk).update(submitted_at=LATER - datetime.timedelta(hours=1))
    monkeypatch.setattr(reminders, "SWEEP_CHUNK", 4)
    sent_chunks = []

    def run_now(args, kwargs):  # the broker's part: each chunk task runs at once, here
        sent_chunks.append(args[0])
        tasks.remind_unaccepted_orders_chunk_task.apply(args, kwargs)

    monkeypatch.setattr(tasks.remind_unaccepted_orders_chunk_task, "apply_async", run_now)
    # When the beat task runs,
    result = remind_unaccepted_orders_task.apply(kwargs={"now": LATER.isoformat()})
    # Then it split the due orders, and only those, into chunks that cover each once,
    assert [len(chunk) for chunk in sent_chunks] == [4, 4, 2]
    assert sorted(pk for chunk in sent_chunks for pk in chunk) == sorted(o.pk for o in orders)
    # its run record says what it dispatched,
    assert "services.remind_unaccepted_orders" in scheduled_task_names()
    run = JobRun.objects.get(task_id=result.id)
    assert json.loads(run.result) == {
        "unaccepted_due": 10,
        "unaccepted_chunks": 3,
        "unconfirmed_due": 0,
        "unconfirmed_chunks": 0,
    }
    # and every due order got its reminder and its escalation, once.
    assert_each_order_reminded_and_escalated_once(orders, operator_of, community)
    assert not Notification.objects.filter(key__startswith=f"order:{fresh.pk}:").exists()
    # A second run dispatches the same chunks and sends nothing new.
    remind_unaccepted_orders_task.apply(kwargs={"now": LATER.isoformat()})
    assert len(sent_chunks) == 6
    assert_each_order_reminded_and_escalated_once(orders, operator_of, community)


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_the_same_time_remind_each_order_once(community):
    # Given twelve due orders,
    orders, operator_of = overdue_orders(community, 12)
    ids = [o.pk for o in orders]
    start = threading.Barrier(2)
    outcomes = []

    def sweep():
        try:
            start.wait(10)
            outcomes.append(reminders.remind_unaccepted_orders(now=LATER, ids=ids))
        finally:
            connections.close_all()

    # When two sweeps work through the same orders at once (two workers, or a run redone beside the next),
    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    # Then both finished, and between them every order was reminded and escalated once.
    assert len(outcomes) == 2
    assert sum(o["reminded"] for o in outcomes) == sum(o["escalated"] for o in outcomes) == 12
    assert_each_order_reminded_and_escalated_once(orders, operator_of, community)


def broker_idle() -> bool:
    client = redis.Redis.from_url(settings.REDIS_URL)
    return client.llen("celery") == 0 and client.hlen("unacked") == 0


def wait_until(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_sweep_in_chunks_and_a_second_run_sends_nothing_twice(celery_worker, community):
    # Given more due orders than two chunks hold,
    count = 2 * reminders.SWEEP_CHUNK + 20
    orders, operator_of = overdue_orders(community, count)
    # When beat's task reaches the worker twice (a second run before the first one's chunks are done),
    for _ in range(2):
        remind_unaccepted_orders_task.delay(now=LATER.isoformat())
    runs = JobRun.objects.filter(task_name="services.remind_unaccepted_orders")
    assert wait_until(
        lambda: (
            runs.filter(status="SUCCESS").count() == 2
            and OrderEvent.objects.filter(kind=OrderEvent.Kind.ESCALATED).count() == count
            and broker_idle()
        ),
        timeout=300,
    )
    # Then each run dispatched three chunks, and every order got its reminder and escalation once.
    for run in runs:
        assert json.loads(run.result)["unaccepted_chunks"] == 3
        assert json.loads(run.result)["unaccepted_due"] == count
    assert_each_order_reminded_and_escalated_once(orders, operator_of, community)
