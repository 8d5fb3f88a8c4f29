"""kombu's Redis transport, keeping the channel's client for publishing (settings.CELERY_BROKER_TRANSPORT when
REDIS_URL is a redis:// address).

kombu's Redis channel makes a new ``redis.Redis`` around its kept connection pool for every operation of a
producer (``Channel.conn_or_acquire``): redis-py builds its table of response callbacks in each one, about
150 µs here, more than the LPUSH it sends. Every write that dispatches publishes one task on commit. A client is
safe to share (each command takes a connection from the pool), so the channel keeps one per pool, as
alliance.core.redis_cache does for the cache; a new pool (after a fork, or a reconnect) gets a new client. The
worker's own event loop (the asynchronous client and pool) is left as kombu makes it.
"""

from kombu.transport import redis


class Channel(redis.Channel):
    _kept_client = None

    def _create_client(self, asynchronous=False):
        if asynchronous:
            return super()._create_client(asynchronous=True)
        pool = self.pool
        client = self._kept_client
        if client is None or client.connection_pool is not pool:
            client = self._kept_client = super()._create_client()
        return client


class Transport(redis.Transport):
    Channel = Channel
