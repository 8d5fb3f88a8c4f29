"""The web process keeps the dispatch of new orders a moment before handing it to the worker (alliance.core.linger):
stopped in that moment, as gunicorn stops for a deploy, it hands on what it kept before it exits, and the unit hears
of the order."""

import base64
import json

import pytest
from rest_framework.authtoken.models import Token

from alliance.core.models import Notification
from tests.faults.conftest import wait_until, worker_log
from tests.members.factories import ResidentFactory
from tests.services.factories import MenuItemFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def queued_tasks(redis) -> list[tuple[str, list]]:
    """(task name, positional arguments) of each message waiting in Celery's queue on ``redis``."""
    tasks = []
    for raw in redis.lrange("celery", 0, -1):
        message = json.loads(raw)
        args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
        tasks.append((message["headers"]["task"], args))
    return tasks


def test_orders_kept_when_gunicorn_stops_are_handed_on_before_it_exits(
    private_redis, web_factory, worker_factory, unit_operator, community, tmp_path
):
    item = MenuItemFactory(title="理发上门", provider_unit=unit_operator.unit, grid_scope=community)
    residents = [ResidentFactory(grid_node=community) for _ in range(2)]
    # Kept for ten minutes: only the stop hands them on.
    web = web_factory(redis_url=private_redis.url, env={"DISPATCH_LINGER_SECONDS": 600})
    orders = []
    for resident in residents:
        status, body = web.request(
            "/api/v1/orders/", data={"menu_item": item.pk}, token=Token.objects.create(user=resident).key
        )
        assert status == 201, f"{status}: {str(body)[:300]}\n{web.log()}"
        orders.append(body["id"])
    assert queued_tasks(private_redis.client()) == []  # nothing handed on yet

    web.stop()  # SIGTERM: gunicorn's graceful stop

    calls = [
        ["services.handlers.dispatch_order", "services.Order", pk, resident.pk, {}]
        for pk, resident in zip(orders, residents, strict=True)
    ]
    assert queued_tasks(private_redis.client()) == [("core.run_receivers", [calls])], web.log()
    worker_factory(redis_url=private_redis.url)
    wanted = {f"order:{pk}:submitted" for pk in orders}
    told = Notification.objects.filter(recipient=unit_operator, key__endswith=":submitted")
    wait_until(
        lambda: set(told.values_list("key", flat=True)) == wanted,
        timeout=40,
        what=f"the worker to tell the unit of both orders\n{worker_log(tmp_path)}",
    )
