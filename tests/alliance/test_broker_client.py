"""The broker's Redis channel keeps one client for publishing (alliance/core/broker.py): every dispatching write
publishes one task, and a new ``redis.Redis`` per publish cost more than the LPUSH it sent."""

import uuid

from kombu import Queue

from alliance.celery import app
from alliance.core import broker


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
