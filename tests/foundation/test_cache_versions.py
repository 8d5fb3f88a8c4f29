"""A change is forgotten once per transaction, when it commits, and still shows at once (issue 19: writes under
load made two cache round trips for each saved row, one at once and one at commit).

alliance.core.cache: inside a transaction a change is only noted; the writer's own cached read forgets what it
changed first, and the commit forgets every group the transaction changed, in one round trip.
"""

import uuid

import pytest
from django.conf import settings
from django.db import transaction

from alliance.core import cache
from alliance.core.redis_cache import RedisCache

pytestmark = pytest.mark.django_db(transaction=True)  # transactions that really commit


@pytest.fixture
def forgotten(monkeypatch) -> list:
    """Each round trip that forgets groups, as the sorted groups it forgot."""
    calls: list = []
    real = cache._forget

    def spy(groups):
        calls.append(tuple(sorted(groups)))
        real(groups)

    monkeypatch.setattr(cache, "_forget", spy)
    return calls


def test_a_transactions_changes_are_forgotten_once_when_it_commits(forgotten):
    with transaction.atomic():
        cache.changed("cases", "todo")  # an order saved
        cache.changed("todo")  # its dispatch
        with transaction.atomic():  # a savepoint
            cache.changed("lists")
        assert forgotten == []  # nobody else can see the rows yet
    assert forgotten == [("cases", "lists", "todo")]

    cache.changed("units")  # outside a transaction: at once, once
    assert forgotten == [("cases", "lists", "todo"), ("units",)]


def test_the_writer_sees_its_own_change_at_once_and_everyone_sees_it_after_commit(forgotten):
    key, builds = f"test:{uuid.uuid4().hex}", []

    def build():
        builds.append(len(builds) + 1)
        return builds[-1]

    assert cache.get_or_build(key, ("lists",), build) == 1
    assert cache.get_or_build(key, ("lists",), build) == 1  # kept
    with transaction.atomic():
        cache.changed("lists")
        assert cache.get_or_build(key, ("lists",), build) == 2  # the writer's own read: built afresh
        assert cache.get_or_build(key, ("lists",), build) == 2  # kept while it changes nothing more
        cache.changed("lists")
        cache.changed("units")  # a group this value is not made of: not forgotten for this read
        assert cache.get_or_build(key, ("lists",), build) == 3
        assert forgotten == [("lists",), ("lists",)]
    # What the writer built from rows nobody else could see yet is not served after the commit.
    assert forgotten[-1] == ("lists", "units")
    assert cache.get_or_build(key, ("lists",), build) == 4


def test_a_rolled_back_change_forgets_nothing(forgotten):
    key = f"test:{uuid.uuid4().hex}"
    assert cache.get_or_build(key, ("menu",), lambda: "before") == "before"
    with pytest.raises(RuntimeError), transaction.atomic():
        cache.changed("menu")
        raise RuntimeError
    assert forgotten == []
    assert cache.get_or_build(key, ("menu",), lambda: "after") == "before"


@pytest.mark.skipif(not settings.REDIS_URL, reason="the Redis cache backend needs REDIS_URL")
def test_the_redis_cache_keeps_one_client_per_pool():
    backend = RedisCache(settings.REDIS_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    backend.set("k", "值", 30)
    assert backend.get("k") == "值"
    assert backend.get_many(["k", "missing"]) == {"k": "值"}
    assert backend._cache.get_client(write=True) is backend._cache.get_client(write=True)
    backend.delete("k")
    assert backend.get("k") is None


@pytest.mark.skipif(not settings.REDIS_URL, reason="the Redis cache backend needs REDIS_URL")
def test_versions_without_expiry_are_set_in_one_command_and_drop_an_earlier_expiry():
    """``set_many`` without a timeout (every write's commit sets its groups' versions) is one MSET: the values are
    there, with no expiry, even on a key that had one (as Django's MULTI/MSET/EXEC left them)."""
    backend = RedisCache(settings.REDIS_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    backend.set("v:a", "旧", 30)
    client = backend._cache.get_client(write=True)
    sent = []
    real = client.execute_command

    def counting(*args, **options):
        sent.append(args[0])
        return real(*args, **options)

    client.execute_command = counting
    try:
        backend.set_many({"v:a": "1", "v:b": "2"}, None)
    finally:
        del client.execute_command
    assert sent == ["MSET"]
    assert backend.get_many(["v:a", "v:b"]) == {"v:a": "1", "v:b": "2"}
    for key in ("v:a", "v:b"):
        assert client.ttl(backend.make_and_validate_key(key)) == -1  # kept until set again
    backend.set_many({"v:c": "3"}, 30)  # with a timeout, Django's own way
    assert 0 < client.ttl(backend.make_and_validate_key("v:c")) <= 30
    backend.delete_many(["v:a", "v:b", "v:c"])
