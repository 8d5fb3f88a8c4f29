"""Part of the jobs bench (tests/bench/jobs.py PARTS): the reminder sweep with one and with two worker processes
(issue 19, "workers that scale": two processes reach at least 1.6× the throughput of one).

    python -m tests.bench jobs [--city] --parts sweep

It prepares its own data on the bench database (``python -m tests.bench.sweep prepare N``): a street of
``COMMUNITIES`` communities, each with a community admin and ``UNITS`` member units (an operator and a menu item
each), and N submitted orders nobody accepted (4,000; 20,000 with --city; ``BENCH_SWEEP_ORDERS`` overrides),
submitted in 2001, so that the sweep run "as of" 2001 finds those orders due and no other order of the database.
Each order is an item: a reminder to its unit's operator and an escalation to its community's admin (two notices
and two timeline rows). The sweep is sent as beat sends it (``services.remind_unaccepted_orders``): it finds the
due orders and sends a chunk task per ``SWEEP_CHUNK`` of them, which the worker processes share. The time runs
from sending the sweep to the last order's escalation row (polled); the notices are deleted between the runs.
"""

import os
import subprocess
import sys
import time

from tests.bench.report import Figure

MARK = "提醒扫描基准小区"  # the address of the bench's orders: how they are found again
USERS = "sweepbench-"  # the prefix of the bench's accounts
COMMUNITIES = 20
UNITS = 5  # per community
SUBMITTED = "2001-01-02T09:00:00+08:00"
AS_OF = "2001-03-01T09:00:00+08:00"  # the sweep's clock: every bench order is past both limits
TARGET = 1.6


def run(ctx) -> list[Figure]:
    orders = int(os.environ.get("BENCH_SWEEP_ORDERS") or (20_000 if ctx.args.city else 4_000))
    print(f"提醒扫描: 准备 {orders} 张超时未接的点单", flush=True)
    _script(ctx, "prepare", str(orders))
    rates: dict[int, float] = {}
    notes: dict[int, str] = {}
    for processes in (1, 2):
        _reset(ctx)
        _purge(ctx)
        with ctx.workers(processes):
            seconds, done = _sweep(ctx, orders)
        rates[processes] = done / seconds if seconds else 0.0
        notices, events = _counts(ctx)
        # Every order: one reminder and one escalation, each with its timeline row, none twice.
        exact = done == orders and notices == events == 2 * orders
        notes[processes] = f"{done}/{orders} 单 {seconds:.1f} s, 通知 {notices}, 记录 {events}" + (
            "" if exact else " (不符!)"
        )
        print(f"提醒扫描: {processes} 个进程 {rates[processes]:.1f} items/s ({notes[processes]})", flush=True)
    ratio = rates[2] / rates[1] if rates[1] else None
    return [
        Figure("扩展", "提醒扫描 · 1个工作进程", value=rates[1], unit="items/s", note=notes[1]),
        Figure(
            "扩展",
            "提醒扫描 · 2个工作进程",
            value=rates[2],
            unit="items/s",
            ceiling=rates[1],
            ratio=ratio,
            target=f"≥{TARGET}×",
            ok=ratio is not None and ratio >= TARGET,
            note=notes[2],
        ),
    ]


def _broker(ctx):
    from celery import Celery

    app = Celery("bench", broker=ctx.env["REDIS_URL"])
    app.conf.broker_transport_options = {"visibility_timeout": 3600}
    return app


def _purge(ctx) -> None:
    """Drop the messages an interrupted run left on the bench's broker (they would run before this run's)."""
    app = _broker(ctx)
    with app.connection_for_write() as conn:
        app.control.purge(connection=conn)
        client = conn.default_channel.client
        client.delete("unacked", "unacked_index")
    app.close()


def _sweep(ctx, orders: int) -> tuple[float, int]:
    """Send the sweep as beat does, wait until every bench order has its escalation: (seconds, orders done)."""
    app = _broker(ctx)
    started = time.monotonic()
    app.send_task("services.remind_unaccepted_orders", kwargs={"now": AS_OF})
    done, last_change, last = 0, started, -1
    while done < orders:
        time.sleep(0.5)
        done = _escalated(ctx)
        now = time.monotonic()
        if done != last:
            last, last_change = done, now
        elif now - last_change > 120:  # nothing moved for two minutes: a worker is stuck
            print(f"提醒扫描: 停在 {done}/{orders}", flush=True)
            break
    app.close()
    return time.monotonic() - started, done


def _connect(ctx):
    import psycopg2
    from dj_database_url import parse

    s = parse(ctx.env["DATABASE_URL"])
    conn = psycopg2.connect(
        dbname=s["NAME"], user=s["USER"], password=s["PASSWORD"], host=s["HOST"], port=s["PORT"] or 5432
    )
    conn.autocommit = True
    return conn


def _query(ctx, sql: str, params=(), row: bool = False):
    conn = getattr(ctx, "_sweep_conn", None)
    if conn is None:
        conn = ctx._sweep_conn = _connect(ctx)
    with conn.cursor() as cursor:
        cursor.execute(sql, params)
        if cursor.description is None:
            return cursor.rowcount
        return cursor.fetchone() if row else cursor.fetchone()[0]


# The bench's orders and accounts: {orders} and {users} in these queries (constant SQL, values as parameters).
# The id range keeps the polls on the primary key's index (a city has a million orders; the address has no index).
ORDERS = "SELECT id FROM services_order WHERE id BETWEEN %(first)s AND %(last)s AND address = %(mark)s"
USERS_SQL = "SELECT id FROM members_user WHERE username LIKE %(users)s"
ESCALATED = "SELECT count(*) FROM services_orderevent WHERE kind = 'escalated' AND order_id IN ({orders})"
NOTICES = "SELECT count(*) FROM core_notification WHERE recipient_id IN ({users})"
EVENTS = "SELECT count(*) FROM services_orderevent WHERE kind IN ('reminded', 'escalated') AND order_id IN ({orders})"
RESET = [
    "DELETE FROM core_notificationdelivery WHERE notification_id IN "
    "(SELECT id FROM core_notification WHERE recipient_id IN ({users}))",
    "DELETE FROM core_notification WHERE recipient_id IN ({users})",
    "DELETE FROM services_orderevent WHERE kind IN ('reminded', 'escalated') AND order_id IN ({orders})",
    "VACUUM ANALYZE core_notification",
    "VACUUM ANALYZE services_orderevent",
]


def _bench_query(ctx, sql: str) -> int:
    if not hasattr(ctx, "_sweep_ids"):
        ctx._sweep_ids = _query(ctx, "SELECT min(id), max(id) FROM services_order WHERE address = %s", [MARK], row=True)
    first, last = ctx._sweep_ids
    params = {"mark": MARK, "users": USERS + "%", "first": first, "last": last}
    return _query(ctx, sql.format(orders=ORDERS, users=USERS_SQL), params)


def _escalated(ctx) -> int:
    return _bench_query(ctx, ESCALATED)


def _counts(ctx) -> tuple[int, int]:
    return _bench_query(ctx, NOTICES), _bench_query(ctx, EVENTS)


def _reset(ctx) -> None:
    """Forget the bench's reminders (SQL: a Django delete would write a history row for each)."""
    for sql in RESET:
        _bench_query(ctx, sql)


def _script(ctx, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "tests.bench.sweep", *args], cwd=_root(), env=ctx.env, check=True)


def _root():
    from tests.bench.jobs import ROOT

    return ROOT


def prepare(orders: int) -> None:
    """The bench's street, communities, units, operators and admins (kept between runs), and ``orders`` orders."""
    import datetime

    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils.dateparse import parse_datetime

    from alliance.core.validators import make_credit_code
    from grids.models import GridNode
    from members.models import MemberUnit, User
    from projects.models import Category
    from services.models import MenuItem, Order

    unusable = make_password(None)
    category = Category.objects.filter(parent__isnull=True).order_by("pk").first()
    with transaction.atomic():
        street, _ = GridNode.objects.get_or_create(
            code="SWEEPBENCH-S", defaults={"name": "提醒扫描基准街道", "level": 1, "kind": GridNode.Kind.STREET}
        )
        places = []  # (community, resident, menu items)
        for c in range(COMMUNITIES):
            community, _ = GridNode.objects.get_or_create(
                code=f"SWEEPBENCH-C{c}",
                defaults={
                    "name": f"提醒扫描基准{c}社区",
                    "parent": street,
                    "level": 2,
                    "kind": GridNode.Kind.COMMUNITY,
                },
            )
            User.objects.get_or_create(
                username=f"{USERS}admin-{c}",
                defaults={"role": User.Role.COMMUNITY_ADMIN, "grid_node": community, "password": unusable},
            )
            resident, _ = User.objects.get_or_create(
                username=f"{USERS}resident-{c}",
                defaults={"role": User.Role.RESIDENT, "grid_node": community, "password": unusable},
            )
            items = []
            for u in range(UNITS):
                number = c * UNITS + u
                unit, _ = MemberUnit.objects.get_or_create(
                    name=f"提醒扫描基准单位{number}",
                    defaults={
                        "kind": MemberUnit.Kind.STATE_FIRM,
                        "credit_code": make_credit_code(f"91379900{number:09d}"),
                        "grid_node": community,
                        "contact_name": "李联络",
                        "contact_phone": f"1380000{number:04d}",
                        "joined_on": datetime.date(2000, 1, 1),
                    },
                )
                User.objects.get_or_create(
                    username=f"{USERS}operator-{number}",
                    defaults={
                        "role": User.Role.UNIT_OPERATOR,
                        "unit": unit,
                        "grid_node": community,
                        "password": unusable,
                    },
                )
                item, _ = MenuItem.objects.get_or_create(
                    title=f"提醒扫描基准服务{number}",
                    defaults={
                        "category": category,
                        "provider_unit": unit,
                        "grid_scope": community,
                        "capacity_per_day": 20,
                    },
                )
                items.append(item)
            places.append((community, resident, items))
    existing = list(Order.objects.filter(address=MARK).order_by("pk").values_list("pk", flat=True))
    if len(existing) > orders:
        Order.objects.filter(pk__in=existing[orders:]).delete()
    submitted = parse_datetime(SUBMITTED)
    rows = []
    for n in range(len(existing), orders):
        community, resident, items = places[n % COMMUNITIES]
        item = items[(n // COMMUNITIES) % UNITS]
        rows.append(
            Order(
                resident=resident,
                menu_item=item,
                category_id=item.category_id,
                grid_node=community,
                address=MARK,
                status=Order.Status.SUBMITTED,
                submitted_at=submitted,
            )
        )
    Order.objects.bulk_create(rows, batch_size=2000)
    print(f"提醒扫描: {orders} 张点单 (新建 {len(rows)})", flush=True)


if __name__ == "__main__":
    import django

    django.setup()
    if sys.argv[1] == "prepare":
        prepare(int(sys.argv[2]))
