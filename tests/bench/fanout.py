"""Part of the jobs bench (tests/bench/jobs.py PARTS): a notice published to the whole district (全区, the issue's
"whole city") reaches every resident.

The audience is the district's active residents and party members, topped up once on the bench database to
100,000 with --city, 20,000 otherwise (bulk-inserted over ten streets of ten communities each; every fifth chose
SMS, every tenth e-mail; a city seed already has them). A district-wide notice is published with one worker process, then a new one with two (four runs: 1, 2, 2, 1; means); each is timed from the publish (the job's
``created_at``) until the job record's end, when every inbox row and delivery exists (counted afterwards). The
deliveries' sends, queued behind the batches, are not timed: the queue is purged before the next run.

Figures (section 群发): seconds with two processes (target < 120 s for 100,000 people at --city), rows per second
(inbox rows + deliveries) with one and with two processes, and the ratio two/one (target ≥ 1.6×).
"""

import subprocess
import sys
import time

import psycopg2
from dj_database_url import parse

from tests.bench.jobs import ROOT
from tests.bench.report import Figure

STREET_CODE = "BENCH-FANOUT"
TIMEOUT = 900
ORDER = (1, 2, 2, 1)

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
article = Article.objects.create(kind="notice", title="群发压测通知 {n}", body="正文。", grid_node=None, status="draft")
news.publish(by=User.objects.get(username="fanout-bench-admin"), article=article)
print(Broadcast.objects.get(key=f"article:{{article.pk}}:notice").pk)
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


def _publish_and_wait(ctx, conn, processes: int, n: int) -> tuple[float, int, int]:
    """Seconds from the publish to the job's end, and the inbox rows and deliveries then written."""
    _purge(ctx)  # tasks left over (sends of an earlier run) would keep the new worker busy
    with ctx.workers(processes):
        job = int(ctx.manage("shell", "-c", PUBLISH.format(n=n), capture=True).split()[-1])
        deadline = time.monotonic() + TIMEOUT
        while True:
            status, seconds, key = _one(
                conn,
                "SELECT status, extract(epoch FROM finished_at - created_at), key FROM core_broadcast WHERE id = %s",
                [job],
            )
            if status == "done":
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"the fan-out {job} did not end within {TIMEOUT} s")
            time.sleep(0.5)
        notes, deliveries = _one(
            conn,
            "SELECT count(DISTINCT n.id), count(d.id) FROM core_notification n "
            "LEFT JOIN core_notificationdelivery d ON d.notification_id = n.id WHERE n.key = %s",
            [key],
        )
        # The sends queued behind the batches are not part of the figure: dropped before the next run.
        _purge(ctx)
    return float(seconds), notes, deliveries


def _purge(ctx) -> None:
    command = [sys.executable, "-m", "celery", "-A", "alliance", "purge", "-f"]
    subprocess.run(command, cwd=ROOT, env=ctx.env, check=False, capture_output=True)


def run(ctx) -> list[Figure]:
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
        seconds, notes, deliveries = _publish_and_wait(ctx, conn, processes, time.time_ns())
        complete = notes == audience and deliveries == chosen
        runs[processes].append((seconds, (notes + deliveries) / seconds, complete))
        print(f"群发: {processes} 进程 {seconds:.1f} s, {notes} 条通知 + {deliveries} 条投递", flush=True)
    conn.close()
    (s1, r1, ok1), (s2, r2, ok2) = (
        (
            sum(r[0] for r in runs[p]) / len(runs[p]),
            sum(r[1] for r in runs[p]) / len(runs[p]),
            all(r[2] for r in runs[p]),
        )
        for p in (1, 2)
    )
    whole = f"全区 {audience} 人, {audience + chosen} 行"
    missing = "" if ok1 and ok2 else "；有缺漏！"
    ratio = r2 / r1 if r1 else None
    return [
        Figure(
            "群发",
            "通知全部写入（2 进程）",
            value=s2,
            unit="s",
            target="<120 s（10 万人）" if ctx.args.city else "",
            ok=(s2 < 120 and ok2) if ctx.args.city else None,
            note=whole + missing,
        ),
        Figure("群发", "写入速度（1 进程）", value=r1, unit="行/s", note=f"{s1:.1f} s（两次平均）" + missing),
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
