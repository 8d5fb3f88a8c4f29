"""Part of the jobs bench (tests/bench/jobs.py PARTS): a notice published to the whole district (全区, the issue's
"whole city") reaches every resident.

The audience is the district's active residents and party members, topped up once on the bench database to
100,000 with --city, 20,000 otherwise (bulk-inserted over ten streets of ten communities each; every fifth chose
SMS, every tenth e-mail; a city seed already has them). Each run publishes NOTICES district-wide notices at once,
with one worker process, then with two (four runs: 1, 2, 2, 1; means). A run is timed from its first publish (the
jobs' ``created_at``) until the last job record's end, when every inbox row and delivery exists (counted
afterwards, then deleted: each run starts from the same tables); each job also from its own publish to its end.
The deliveries' sends are not part of the figure: routed to a queue no bench worker reads
(tests/bench/fanout_settings.py), they are dropped after each run.

Figures (section 群发): the seconds of one job with two processes, while the others run beside it (target < 120 s
for 100,000 people at --city), rows per second (inbox rows + deliveries) over a run with one and with two
processes, and the ratio two/one (target ≥ 1.6×).
"""

import dataclasses
import subprocess
import sys
import time

import psycopg2
from dj_database_url import parse

from tests.bench.jobs import ROOT
from tests.bench.report import Figure

STREET_CODE = "BENCH-FANOUT"
HELD = "bench-held-sends"  # the queue of the sends (tests/bench/fanout_settings.py), read by no bench worker
TIMEOUT = 900
ORDER = (1, 2, 2, 1)
# Notices published at once per run: a throughput is measured over several jobs, as a city sends them (one job of
# 3 s with one process is mostly its start: the start task and the first batch's pickup do not divide).
NOTICES = 3

PREPARE = """
from django.db import transaction
from alliance.core.models import NotificationPreference
from grids.models import GridNode
from members.models import User

N = {people}
residents = User.objects.filter(is_active=True, role__in=["resident", "party_member"])
have = residents.count()
if have < N:  # topped up to N over ten streets of ten communities each (a city seed has them already)
    communities = []
    for s in range(10):
        street, _ = GridNode.objects.get_or_create(
            code=f"{code}-{{s}}", defaults=dict(name=f"群发压测街道{{s}}", level=1, kind="street"))
        for c in range(10):
            node, _ = GridNode.objects.get_or_create(code=f"{code}-{{s}}-{{c}}", defaults=dict(
                name=f"群发压测社区{{s}}-{{c}}", level=2, kind="community", parent=street))
            communities.append(node)
    first = User.objects.filter(username__startswith="fanout-").count()
    with transaction.atomic():
        User.objects.bulk_create(
            (User(username=f"fanout-{{i}}", password="!", role="resident", grid_node=communities[i % 100],
                  phone=f"16{{i:09d}}", email=f"r{{i}}@example.cn")
             for i in range(first, first + N - have)),
            batch_size=5000,
        )
        wanted = User.objects.filter(username__startswith="fanout-").exclude(notification_preference__isnull=False)
        NotificationPreference.objects.bulk_create(
            (NotificationPreference(user_id=pk, sms=pk % 5 == 0, email=pk % 10 == 0)
             for pk in wanted.values_list("pk", flat=True).iterator() if pk % 5 == 0),
            batch_size=5000,
        )
User.objects.get_or_create(
    username="fanout-bench-admin", defaults={{"is_superuser": True, "is_staff": True, "role": "district_admin"}})
print(residents.count())
"""

PUBLISH = """
from alliance.committee import news
from alliance.committee.models import Article
from alliance.core.models import Broadcast
from alliance.core.enqueue import task_named
from members.models import User

task_named("core.start_broadcast")  # the tasks modules imported, as in a web process that has published before
# A district-wide notice (全区: no grid node): every resident and party member of the district.
by = User.objects.get(username="fanout-bench-admin")
jobs = []
for k in range({notices}):
    article = Article.objects.create(
        kind="notice", title=f"群发压测通知 {n}-{{k}}", body="正文。", grid_node=None, status="draft")
    news.publish(by=by, article=article)
    jobs.append(Broadcast.objects.get(key=f"article:{{article.pk}}:notice").pk)
print(",".join(map(str, jobs)))
"""


def _connect(ctx):
    s = parse(ctx.env["DATABASE_URL"])
    conn = psycopg2.connect(
        dbname=s["NAME"], user=s["USER"], password=s["PASSWORD"], host=s["HOST"], port=s["PORT"] or 5432
    )
    conn.autocommit = True
    return conn


def _one(conn, sql: str, params=()):
    with conn.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _expected(conn) -> tuple[int, int]:
    """(people, deliveries) the district notice must write: every active resident and party member of the district
    and the channels they chose."""
    return _one(
        conn,
        """
        SELECT count(*), coalesce(sum(p.email::int + p.sms::int + p.wechat::int), 0)
        FROM members_user u LEFT JOIN core_notificationpreference p ON p.user_id = u.id
        WHERE u.is_active AND u.role IN ('resident', 'party_member')
        """,
    )


def _publish_and_wait(ctx, conn, processes: int, n: int) -> tuple[float, float, int, int]:
    """Seconds from the first publish to the last job's end, the mean seconds of one job from its publish to its
    end, and the inbox rows and deliveries the jobs wrote."""
    _purge(ctx)  # tasks left over (sends of an earlier run) would keep the new worker busy
    with ctx.workers(processes):
        out = ctx.manage("shell", "-c", PUBLISH.format(n=n, notices=NOTICES), capture=True)
        jobs = [int(pk) for pk in out.split()[-1].split(",")]
        deadline = time.monotonic() + TIMEOUT
        while True:
            (pending,) = _one(
                conn, "SELECT count(*) FROM core_broadcast WHERE id = ANY(%s) AND status <> 'done'", [jobs]
            )
            if not pending:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"the fan-outs {jobs} did not end within {TIMEOUT} s")
            time.sleep(0.5)
        whole, each = _one(
            conn,
            "SELECT extract(epoch FROM max(finished_at) - min(created_at)), "
            "avg(extract(epoch FROM finished_at - created_at)) FROM core_broadcast WHERE id = ANY(%s)",
            [jobs],
        )
        notes, deliveries = _one(
            conn,
            "SELECT count(DISTINCT n.id), count(d.id) FROM core_notification n "
            "LEFT JOIN core_notificationdelivery d ON d.notification_id = n.id "
            "WHERE n.key IN (SELECT key FROM core_broadcast WHERE id = ANY(%s))",
            [jobs],
        )
        # The sends queued behind the batches are not part of the figure: dropped before the next run.
        _purge(ctx)
    _remove(conn, jobs)
    return float(whole), float(each), notes, deliveries


def _remove(conn, jobs: list[int]) -> None:
    """Delete the inbox rows and deliveries the run wrote once they are counted, so that every run (and every later
    ``make bench``) writes into tables of the same size: kept, each --city run added 390,000 rows, and a figure
    depended on how often the bench had run before on this database (13 million rows after eleven runs)."""
    with conn.cursor() as cursor:
        for sql in (
            "DELETE FROM core_notificationdelivery WHERE notification_id IN "
            "(SELECT id FROM core_notification WHERE key IN (SELECT key FROM core_broadcast WHERE id = ANY(%(jobs)s)))",
            "DELETE FROM core_notification WHERE key IN (SELECT key FROM core_broadcast WHERE id = ANY(%(jobs)s))",
        ):  # the job records (core_broadcast and its batches) stay: a few rows, with each batch's time
            cursor.execute(sql, {"jobs": jobs})


def _purge(ctx) -> None:
    command = [sys.executable, "-m", "celery", "-A", "alliance", "purge", "-f", "-Q", f"celery,{HELD}"]
    subprocess.run(command, cwd=ROOT, env=ctx.env, check=False, capture_output=True)


def run(ctx) -> list[Figure]:
    # The deliveries' sends go to a queue the bench's workers do not read (tests/bench/fanout_settings.py).
    ctx = dataclasses.replace(ctx, env={**ctx.env, "DJANGO_SETTINGS_MODULE": "tests.bench.fanout_settings"})
    people = 100_000 if ctx.args.city else 20_000
    print(f"群发: 准备 {people} 位居民 …", flush=True)
    ctx.manage("shell", "-c", PREPARE.format(people=people, code=STREET_CODE), capture=True)
    conn = _connect(ctx)
    audience, chosen = _expected(conn)
    runs: dict[int, list[tuple[float, float, bool]]] = {1: [], 2: []}
    # One, two, two, one: the machine's load drifts (and autovacuum follows big inserts), so each count of
    # processes gets an early and a late turn; the figures are the means.
    for processes in ORDER:
        with conn.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE core_notification, core_notificationdelivery")
        seconds, each, notes, deliveries = _publish_and_wait(ctx, conn, processes, time.time_ns())
        complete = notes == NOTICES * audience and deliveries == NOTICES * chosen
        runs[processes].append((each, (notes + deliveries) / seconds, complete))
        print(
            f"群发: {processes} 进程 {NOTICES} 条通知 {seconds:.1f} s（每条 {each:.1f} s）, "
            f"{notes} 条通知 + {deliveries} 条投递",
            flush=True,
        )
    conn.close()
    (s1, r1, ok1), (s2, r2, ok2) = (
        (
            sum(r[0] for r in runs[p]) / len(runs[p]),
            sum(r[1] for r in runs[p]) / len(runs[p]),
            all(r[2] for r in runs[p]),
        )
        for p in (1, 2)
    )
    whole = f"全区 {audience} 人, 每条 {audience + chosen} 行, 每次同时 {NOTICES} 条"
    missing = "" if ok1 and ok2 else "；有缺漏！"
    ratio = r2 / r1 if r1 else None
    return [
        Figure(
            "群发",
            "一条通知全部写入（2 进程）",
            value=s2,
            unit="s",
            target="<120 s（10 万人）" if ctx.args.city else "",
            ok=(s2 < 120 and ok2) if ctx.args.city else None,
            note=whole + missing,
        ),
        Figure("群发", "写入速度（1 进程）", value=r1, unit="行/s", note=f"每条 {s1:.1f} s（平均）" + missing),
        Figure(
            "群发",
            "写入速度（2 进程）",
            value=r2,
            unit="行/s",
            ceiling=r1,
            ratio=ratio,
            target="≥1.6×",
            ok=ratio is not None and ratio >= 1.6 and ok1 and ok2,
            note="天花板：1 进程",
        ),
    ]
