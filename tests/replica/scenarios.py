"""What the replica tests run in a Django process of their own, configured to the private primary and replica.

    DATABASE_URL=<primary> REPLICA_DATABASE_URL=<replica> python -m tests.replica.scenarios <name>

Each scenario makes requests with Django's test client (the whole middleware stack) or reads through the ORM,
records which connection ran every statement (an execute wrapper on each alias) and which server each alias
reaches (``inet_server_port()``, ``pg_is_in_recovery()``), and prints one line ``RESULT <json>`` for the test
(tests/replica/test_replica.py) to judge.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import subprocess
import sys
import time
import uuid

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")
django.setup()

from django.db import connections, router, transaction  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from alliance.core import cache as page_cache  # noqa: E402
from alliance.core import replica  # noqa: E402
from alliance.core.validators import make_credit_code  # noqa: E402
from grids.models import GridNode  # noqa: E402
from members.models import MemberUnit, User  # noqa: E402
from tests.members.factories import MemberUnitFactory  # noqa: E402

setup_test_environment()  # the test client's allowed host ("testserver")


@contextlib.contextmanager
def spy():
    """Every statement as (alias, first word), in order, for each connection; the replica's lag check is CHECK."""
    seen: list[tuple[str, str]] = []

    def watcher(alias):
        def watch(execute, sql, params, many, context):
            verb = "CHECK" if "pg_last_wal_replay_lsn" in sql else sql.lstrip().split(None, 1)[0].upper()
            seen.append((alias, verb))
            return execute(sql, params, many, context)

        return watch

    with contextlib.ExitStack() as stack:
        for alias in connections:
            stack.enter_context(connections[alias].execute_wrapper(watcher(alias)))
        yield seen


def aliases(seen) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for alias, verb in seen:
        found.setdefault(alias, []).append(verb)
    return found


def servers() -> dict:
    """Which server each alias reaches: its port and whether it is a standby."""
    found = {}
    for alias in connections:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT inet_server_port(), pg_is_in_recovery()")
            port, standby = cursor.fetchone()
        found[alias] = {"port": port, "standby": standby}
    return found


def settle_caches() -> None:
    """Every cache group last changed long ago: a fill may read from the replica (alliance.core.cache)."""
    page_cache.cache.set_many({page_cache._version_key(g): f"1-{uuid.uuid4().hex[:8]}" for g in page_cache.GROUPS})


def superuser() -> User:
    user, _ = User.objects.get_or_create(
        username="replica-root", defaults={"is_superuser": True, "is_staff": True, "role": User.Role.STREET_ADMIN}
    )
    return user


def resident() -> User:
    user = User.objects.filter(username="replica-resident").first()
    if user is None:
        user = User(username="replica-resident", role=User.Role.RESIDENT)
        user.set_password("pass-word-123")
        user.save()
    return user


def get(client: Client, path: str) -> dict:
    with spy() as seen:
        response = client.get(path)
    return {"status": response.status_code, "queries": aliases(seen)}


def new_unit_on_primary() -> str:
    """A unit written on the primary; unique across the scenario processes (the factories' sequences are not)."""
    name = f"副本测试单位{uuid.uuid4().hex[:8]}"
    code = make_credit_code(f"91370100{random.randrange(10**9):09d}")
    MemberUnitFactory(name=name, credit_code=code, grid_node=GridNode.objects.communities().first())
    return name


# The scenarios ---------------------------------------------------------------------------------------------


def routing() -> dict:
    """Routed reads on the replica, the rest on the primary."""
    settle_caches()
    anonymous, staff = Client(), Client()
    staff.force_login(superuser())
    result = {"servers": servers()}
    result["figures"] = get(anonymous, "/alliance/figures/")
    result["dashboard"] = get(staff, "/admin/dashboard/")
    result["stats_api"] = get(anonymous, "/api/v1/stats/")
    settle_caches()
    result["units_cache_fill"] = get(anonymous, "/api/v1/units/?page_size=5")
    page_cache.changed("units")  # a change a moment ago: the next fill must not read a replica behind it
    result["units_cache_fill_after_change"] = get(anonymous, "/api/v1/units/?page_size=5")
    result["unrouted_api"] = get(staff, "/api/v1/points/")
    with spy() as seen:
        MemberUnit.objects.count()
        with replica.reading_from_replica() as alias:
            MemberUnit.objects.count()
        result["block_alias"] = alias
        with transaction.atomic():
            new_unit_on_primary()
            with replica.reading_from_replica() as inside:
                MemberUnit.objects.count()
        result["block_in_transaction_alias"] = inside
    result["orm"] = seen
    return result


def read_your_writes() -> dict:
    """A write pins the person to the primary for REPLICA_PIN_SECONDS, then their reads go back to the replica."""
    resident()
    settle_caches()
    returned: list[str] = []
    for r in router.routers:  # every answer the router gives for a write, across the whole cycle
        original = r.db_for_write

        def recording(model, original=original, **hints):
            alias = original(model, **hints)
            returned.append(alias)
            return alias

        r.db_for_write = recording
    client = Client()
    result = {"before": get(client, "/alliance/top10/")}
    with spy() as seen:
        response = client.post("/accounts/login/", {"username": "replica-resident", "password": "pass-word-123"})
    result["login"] = {
        "status": response.status_code,
        "queries": aliases(seen),
        "pin_cookie": replica.PIN_COOKIE in response.cookies,
        "write_aliases": sorted(set(returned)),
    }
    result["right_after"] = get(client, "/alliance/top10/")
    started, polls = time.monotonic(), 0
    while time.monotonic() - started < 60:
        polls += 1
        later = get(client, "/alliance/top10/")
        if "replica" in later["queries"]:
            break
        time.sleep(0.5)
    result["later"] = later
    result["polls"] = polls

    # A request that writes (here through notify, a kernel action), even a GET, pins too; one that reads does not.
    def writing_view(request):
        from alliance.core.notifications import notify

        notify(recipient=request.user, key=f"replica:{uuid.uuid4().hex}", title="副本测试")
        with replica.reading_from_replica() as alias:
            MemberUnit.objects.count()
        from django.http import HttpResponse

        return HttpResponse(alias or "primary")

    request = RequestFactory().get("/")
    request.user = resident()
    response = replica.ReadYourWritesMiddleware(writing_view)(request)
    result["writing_get"] = {
        "read_from": response.content.decode(),
        "pin_cookie": replica.PIN_COOKIE in response.cookies,
    }
    request = RequestFactory().get("/")
    response = replica.ReadYourWritesMiddleware(lambda r: __import__("django.http").http.HttpResponse("ok"))(request)
    result["reading_get_pin_cookie"] = replica.PIN_COOKIE in response.cookies
    return result


def stale_on_replica() -> dict:
    """With replay paused and a generous bound: a row just written on the primary is not seen by a routed read."""
    name = new_unit_on_primary()
    with replica.reading_from_replica() as alias:
        routed = MemberUnit.objects.filter(name=name).exists()
    return {"alias": alias, "routed_sees_it": routed, "primary_sees_it": MemberUnit.objects.filter(name=name).exists()}


def lagging() -> dict:
    """With replay paused: write on the primary until the lag passes the bound; then the routed reads go there."""
    started, name = time.monotonic(), None
    while time.monotonic() - started < 90:
        name = new_unit_on_primary()
        state = replica.replica_state(force=True)
        if state.state == "lagging":
            break
        time.sleep(0.3)
    result = {"state": state.state, "lag": state.lag}
    with replica.reading_from_replica() as alias:
        result["routed_sees_new_row"] = MemberUnit.objects.filter(name=name).exists()
    result["alias"] = alias
    result["figures"] = get(Client(), "/alliance/figures/")
    result["health"] = health()
    return result


def health() -> dict:
    from alliance.core import health as health_module

    health_module.check_worker = lambda: None  # no worker here; the replica's entry is what is looked at
    return json.loads(Client().get("/healthz").content)


def replica_down() -> dict:
    """The replica stopped: routed pages are served from the primary, without an error."""
    settle_caches()
    staff = Client()
    staff.force_login(superuser())
    return {
        "figures": get(Client(), "/alliance/figures/"),
        "dashboard": get(staff, "/admin/dashboard/"),
        "health": health(),
    }


def dies_mid_request() -> dict:
    """The replica killed by the first query a page sends it: the page is read again from the primary."""
    settle_caches()
    killed = []

    def kill_on_first_read(execute, sql, params, many, context):
        if not killed and "pg_is_in_recovery" not in sql:
            killed.append(sql[:60])
            command = [os.environ["PG_CTL"], "-D", os.environ["REPLICA_DATA_DIR"], "-m", "immediate", "stop"]
            if os.geteuid() == 0:
                command = ["runuser", "-u", "postgres", "--", *command]
            subprocess.run(command, check=True, capture_output=True)
        return execute(sql, params, many, context)

    with connections["replica"].execute_wrapper(kill_on_first_read):
        result = get(Client(), "/alliance/figures/")
    result["killed_at"] = killed
    result["state"] = replica.replica_state().state
    return result


if __name__ == "__main__":
    outcome = globals()[sys.argv[1]]()
    print("RESULT " + json.dumps(outcome, default=str, ensure_ascii=False))
