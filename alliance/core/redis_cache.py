"""Django's Redis cache backend, keeping its ``redis.Redis`` clients (settings.CACHES when REDIS_URL is set).

Django's ``RedisCacheClient.get_client`` makes a new ``redis.Redis`` around the kept connection pool for every
cache operation; redis-py builds its table of response callbacks in each one (about 50 µs here, a few times
per write and per cached page). A client is safe to share between threads (each command takes a connection
from the pool), so one is kept per pool, as the pools already are.

``set_many`` without an expiry (the cache groups' versions, alliance.core.cache, on every write's commit) is one
MSET: Django wraps it in a transaction (MULTI, MSET, EXEC: three commands and a pipeline's bookkeeping), which
MSET, atomic itself, does not need.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class KeptRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client

    def set_many(self, data, timeout):
        if timeout is not None:
            return super().set_many(data, timeout)
        # MSET sets every key at once and drops any expiry the keys had, as Django's MULTI/MSET/EXEC does.
        self.get_client(None, write=True).mset({k: self._serializer.dumps(v) for k, v in data.items()})
        return None


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = KeptRedisCacheClient
