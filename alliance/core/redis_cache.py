"""Django's Redis cache backend, keeping its ``redis.Redis`` clients (settings.CACHES when REDIS_URL is set).

Django's ``RedisCacheClient.get_client`` makes a new ``redis.Redis`` around the kept connection pool for every
cache operation; redis-py builds its table of response callbacks in each one (about 50 µs here, a few times
per write and per cached page). A client is safe to share between threads (each command takes a connection
from the pool), so one is kept per pool, as the pools already are.
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


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = KeptRedisCacheClient
