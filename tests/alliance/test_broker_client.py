"""The broker's Redis channel keeps one client for publishing (alliance/core/broker.py): every dispatching write
publishes one task, and a new ``redis.Redis`` per publish cost more than the LPUSH it sent. A published task's
message names its arguments as Celery's did (alliance.core.enqueue.publish)."""

import json
import uuid

from kombu import Queue

from alliance.celery import app
from alliance.core import broker, enqueue


def test_a_channel_publishes_through_one_kept_client_and_takes_a_new_one_with_a_new_pool():
    name = f"test-kept-client-{uuid.uuid4().hex[:8]}"
    queue = Queue(name, routing_key=name)
    with app.connection_for_write() as connection:
        channel = connection.default_channel
        assert isinstance(channel, broker.Channel)
        producer = connection.Producer(channel)
        for n in range(3):
            producer.publish({"n": n}, routing_key=name, declare=[queue], serializer="json")
        kept = channel._create_client()
        assert channel._create_client() is kept
        assert kept.llen(name) == 3

        channel._disconnect_pools()  # what kombu does in a forked child: the old pool's sockets are the parent's
        producer.publish({"n": 3}, routing_key=name, declare=[queue], serializer="json")
        renewed = channel._create_client()
        assert renewed is not kept and renewed.connection_pool is channel.pool

        with connection.SimpleQueue(queue) as received:
            bodies = [received.get(timeout=2).payload["n"] for _ in range(4)]
            assert bodies == [0, 1, 2, 3]
        renewed.delete(name)


def test_a_published_task_names_its_arguments_in_its_message():
    """enqueue.publish writes the arguments' repr itself (Celery's saferepr of them was a fifth of a publish): the
    worker's log and a monitor read the same text in the message as before."""
    name = f"test-argsrepr-{uuid.uuid4().hex[:8]}"

    @app.task(name=f"tests.{name}", queue=name)
    def probe(*args):  # pragma: no cover - never run: the message is read from the queue
        return args

    try:
        args = ("services.handlers.dispatch_order", "services.Order", 12, 34, {})
        enqueue.publish(probe, args)
        with app.connection_for_write() as connection:
            client = connection.default_channel._create_client()
            (raw,) = client.lrange(name, 0, -1)
            client.delete(name)
        headers = json.loads(raw)["headers"]
        assert headers["task"] == f"tests.{name}"
        assert headers["argsrepr"] == repr(args)
        assert headers["kwargsrepr"] == "{}"
    finally:
        app.tasks.unregister(f"tests.{name}")
