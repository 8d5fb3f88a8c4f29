"""派单 runs in the worker (alliance.core.events ``in_worker``): the resident's request ends at its commit, the
worker sends each handler the notice once, and when the broker cannot take it the request sends it as before."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from alliance.core import enqueue, events
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


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_orders_placed_at_once_reach_each_operator_once_through_the_worker(shop, celery_worker):
    micro, item, operators = shop
    residents = [ResidentFactory(grid_node=micro) for _ in range(8)]
    start = threading.Barrier(len(residents))

    def place(resident):
        try:
            start.wait()
            return actions.submit_order(by=resident, menu_item=item).pk
        finally:
            connection.close()

    with ThreadPoolExecutor(len(residents)) as pool:
        orders = list(pool.map(place, residents))

    expected = sorted((op.pk, f"order:{pk}:submitted") for pk in orders for op in operators)
    deadline = time.monotonic() + 60  # a bound on waiting for the worker, not a timing assertion
    while len(keys_of(operators)) < len(expected) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert keys_of(operators) == expected  # every order told to each operator exactly once, none missing
    assert not Notification.objects.exclude(recipient__in=operators).exists()  # nobody else was told
