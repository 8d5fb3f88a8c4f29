"""Redis stopped while residents submit orders: every order is saved and answered; the follow-up runs once
Redis is back (the reminder sweep reads the orders from the database, so an order never depends on a message)."""

import datetime
import time

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from alliance.core.models import Notification
from services.models import Order
from tests.faults.conftest import wait_until, worker_log
from tests.members.factories import ResidentFactory
from tests.services.factories import MenuItemFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_orders_submitted_while_redis_is_down_are_saved_answered_and_followed_up_when_it_is_back(
    private_redis, web_factory, worker_factory, unit_operator, community, tmp_path
):
    item = MenuItemFactory(title="理发上门", provider_unit=unit_operator.unit, grid_scope=community)
    residents = [ResidentFactory(grid_node=community) for _ in range(4)]
    tokens = [Token.objects.create(user=r).key for r in residents]
    web = web_factory(redis_url=private_redis.url)
    private_redis.stop()
    assert not private_redis.ping()

    for n, token in enumerate(tokens):
        started = time.monotonic()
        status, body = web.request(
            "/api/v1/orders/", data={"menu_item": item.pk, "address": f"舜玉小区{n + 1}号楼"}, token=token
        )
        assert status == 201, f"{status}: {str(body)[:300]}\n{web.log()}"
        assert body["status"] == Order.Status.SUBMITTED
        assert time.monotonic() - started < 10
    orders = Order.objects.filter(menu_item=item)
    assert sorted(orders.values_list("resident_id", flat=True)) == sorted(r.pk for r in residents)

    # Redis is back; beat sends the periodic sweep as usual (here: as of a day when all are overdue).
    private_redis.start()
    worker_factory(redis_url=private_redis.url)
    from alliance.celery import app

    later = (timezone.now() + datetime.timedelta(days=30)).isoformat()
    with app.connection_for_write(private_redis.url) as conn:
        app.send_task("services.remind_unaccepted_orders", kwargs={"now": later}, connection=conn)
    expected = {f"order:{pk}:remind" for pk in orders.values_list("pk", flat=True)}
    # (each new order was also dispatched to the unit at once: those notices are not reminders)
    reminders = Notification.objects.filter(recipient=unit_operator, key__endswith=":remind")
    wait_until(
        lambda: set(reminders.values_list("key", flat=True)) == expected,
        timeout=40,
        what=f"the sweep to remind the unit of every order\n{worker_log(tmp_path)}",
    )
