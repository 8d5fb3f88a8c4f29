"""派单 runs in the worker (alliance.core.events ``in_worker``): the resident's request ends at its commit, the
worker sends each handler the notice once, and when the broker cannot take it the request sends it as before.
The web process keeps the calls a moment and hands them on together (alliance.core.linger)."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from alliance.core import enqueue, events, linger
from alliance.core.models import Notification
from services import actions
from tests.grids.factories import CommunityFactory, MicroGridFactory, StreetFactory
from tests.members.factories import MemberUnitFactory, ResidentFactory, UnitOperatorFactory
from tests.services.factories import MenuItemFactory

CLOSED_PORT = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def shop(db):
    community = CommunityFactory(parent=StreetFactory(name="舜玉路街道"), name="舜园社区")
    micro = MicroGridFactory(parent=community, name="舜园3号楼微网格")
    unit = MemberUnitFactory(grid_node=community, name="历下区人民医院")
    operators = [UnitOperatorFactory(unit=unit, grid_node=community) for _ in range(2)]
    item = MenuItemFactory(provider_unit=unit, grid_scope=community, title="上门测血压", capacity_per_day=100)
    return micro, item, operators


def keys_of(operators):
    return sorted(Notification.objects.filter(recipient__in=operators).values_list("recipient_id", "key"))


def test_with_a_broker_the_request_hands_the_dispatch_to_the_worker(shop, monkeypatch):
    micro, item, operators = shop
    monkeypatch.setattr(events, "IN_WORKER", True)
    published = []
    monkeypatch.setattr(enqueue, "publish", lambda task, args: published.append((task.name, args)))
    resident = ResidentFactory(grid_node=micro, display_name="王阿姨")

    order = actions.submit_order(by=resident, menu_item=item)

    assert keys_of(operators) == []  # nothing sent by the request itself
    assert published == [
        ("core.run_receiver", ("services.handlers.dispatch_order", "services.Order", order.pk, resident.pk, {}))
    ]
    # The worker's task: each operator told once, and a second run (a redelivered task) sends nothing more.
    for _ in range(2):
        events.run_in_worker(*published[0][1])
    assert keys_of(operators) == sorted((op.pk, f"order:{order.pk}:submitted") for op in operators)
    assert Notification.objects.get(recipient=operators[0]).title == "新的点单：王阿姨预约了“上门测血压”"


def test_when_the_broker_is_down_the_request_dispatches_itself(shop, monkeypatch):
    micro, item, operators = shop
    monkeypatch.setattr(events, "IN_WORKER", True)
    app = enqueue.task_named("core.run_receiver").app
    monkeypatch.setattr(app.conf, "broker_url", CLOSED_PORT)
    resident = ResidentFactory(grid_node=micro)

    order = actions.submit_order(by=resident, menu_item=item)

    assert keys_of(operators) == sorted((op.pk, f"order:{order.pk}:submitted") for op in operators)
    assert enqueue.broker_paused()  # the next writes do not wait for the broker either


@pytest.fixture
def lingering():
    """This process lingers as the web process does, long enough that only the test's own ``flush`` publishes."""
    linger.turn_on(3600)
    yield linger.active()
    linger.turn_off()


def test_the_web_process_hands_its_writes_dispatch_on_in_one_message(shop, monkeypatch, lingering):
    micro, item, operators = shop
    monkeypatch.setattr(events, "IN_WORKER", True)
    published = []
    monkeypatch.setattr(enqueue, "publish", lambda task, args: published.append((task.name, args)))
    first, second = (ResidentFactory(grid_node=micro) for _ in range(2))

    orders = [actions.submit_order(by=first, menu_item=item), actions.submit_order(by=second, menu_item=item)]

    assert published == [] and keys_of(operators) == []  # neither request published nor sent anything
    assert lingering.flush() == 2
    calls = [("services.handlers.dispatch_order", "services.Order", o.pk, o.resident_id, {}) for o in orders]
    assert published == [("core.run_receivers", (calls,))]  # one message for both
    assert lingering.flush() == 0  # nothing kept twice
    # The worker's task: each operator told of each order once, and a redelivered message sends nothing more.
    for _ in range(2):
        events.run_all(published[0][1][0])
    assert keys_of(operators) == sorted((op.pk, f"order:{o.pk}:submitted") for o in orders for op in operators)


def test_when_the_broker_is_down_the_web_process_dispatches_what_it_kept(shop, monkeypatch, lingering):
    micro, item, operators = shop
    monkeypatch.setattr(events, "IN_WORKER", True)
    monkeypatch.setattr(enqueue.task_named("core.run_receivers").app.conf, "broker_url", CLOSED_PORT)
    order = actions.submit_order(by=ResidentFactory(grid_node=micro), menu_item=item)
    assert keys_of(operators) == []

    lingering.flush()

    assert keys_of(operators) == sorted((op.pk, f"order:{order.pk}:submitted") for op in operators)
    assert enqueue.broker_paused()  # and the next writes run their receivers at once, as without the linger
    later = actions.submit_order(by=ResidentFactory(grid_node=micro), menu_item=item)
    assert (operators[0].pk, f"order:{later.pk}:submitted") in keys_of(operators)
    assert lingering.take() == []


def test_a_failing_receiver_does_not_stop_the_others_of_its_message(shop, monkeypatch):
    micro, item, operators = shop
    order = actions.submit_order(by=ResidentFactory(grid_node=micro), menu_item=item)
    Notification.objects.all().delete()
    call = ("services.handlers.dispatch_order", "services.Order", order.pk, order.resident_id, {})
    broken = ("services.handlers.dispatch_order", "services.Order", "not an id", None, {})

    assert events.run_all([broken, call]) == 1

    assert keys_of(operators) == sorted((op.pk, f"order:{order.pk}:submitted") for op in operators)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("delay", [0, 0.1], ids=["each-at-once", "kept-a-moment"])
def test_orders_placed_at_once_reach_each_operator_once_through_the_worker(shop, celery_worker, delay):
    micro, item, operators = shop
    linger.turn_on(delay)
    residents = [ResidentFactory(grid_node=micro) for _ in range(8)]
    start = threading.Barrier(len(residents))

    def place(resident):
        try:
            start.wait()
            return actions.submit_order(by=resident, menu_item=item).pk
        finally:
            connection.close()

    try:
        with ThreadPoolExecutor(len(residents)) as pool:
            orders = list(pool.map(place, residents))
    finally:
        linger.turn_off()  # what is still kept is published now

    expected = sorted((op.pk, f"order:{pk}:submitted") for pk in orders for op in operators)
    deadline = time.monotonic() + 60  # a bound on waiting for the worker, not a timing assertion
    while len(keys_of(operators)) < len(expected) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert keys_of(operators) == expected  # every order told to each operator exactly once, none missing
    assert not Notification.objects.exclude(recipient__in=operators).exists()  # nobody else was told
