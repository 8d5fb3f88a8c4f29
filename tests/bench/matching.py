"""Benchmark of the matching job: a synthetic district of N needs and N resources.

Run with ``make bench`` (``python -m tests.bench``). It creates a throw-away test database
(test_<name> on PostgreSQL, in memory on SQLite), fills it for each N, runs the nightly task
``projects.match_all`` (read, score, bulk upsert) in a child process, as a worker would, and reports
(tests/bench/report.py, section 匹配) its seconds, suggestions per second, time(2N)/time(N), the
child's peak memory (ru_maxrss) and the progress the bench read from the task's run record while it
ran. The district grows with N as real ones do: one street per 1,000 needs, 8 communities of 6
micro-grids each, one unit per 20 resources.
"""

import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

SIZES = [int(x) for x in os.environ.get("BENCH_SIZES", "5000,10000,20000").split(",")]
# Each size runs this many times and the best run counts (as timeit does): on a shared machine the
# other runs measure the neighbours' load, not the job.
REPEAT = int(os.environ.get("BENCH_REPEAT", "2"))
PER_STREET = 1000

WORDS = {
    "help_needy": "困难家庭帮扶慰问送温暖助残轮椅救助低保结对帮困",
    "jobs": "就业指导招聘岗位创业孵化技能培训求职简历面试",
    "culture_science": "科普讲座读书阅读红色教育图书馆展览故事会",
    "housing_safety": "老旧小区改造加装电梯平安巡逻环境整治法律咨询调解",
    "health": "义诊体检测血压健康讲座心理疏导医生护士药品",
    "elderly": "助餐送餐居家照护适老化改造老年人陪伴理发",
    "party_learning": "主题党日党课宣讲党员教育学习强国理论",
    "sports_culture": "文艺演出体育健身节日活动广场舞书法合唱",
}


def _text(rng, words: str, n: int) -> str:
    return "".join(words[i : i + 2] for i in (rng.randrange(0, len(words) - 1) for _ in range(n)))


def build_district(n: int, seed: int = 7):
    """N needs and N resources over N/1000 streets; bulk inserts, no history rows."""
    from grids.models import GridNode
    from members.models import MemberUnit
    from projects.models import Category, Need, Resource

    rng = random.Random(seed)
    cats = list(Category.objects.filter(parent__isnull=False).select_related("parent"))
    streets = max(n // PER_STREET, 1)
    micro_by_street = []
    for s in range(streets):
        street = GridNode.objects.create(name=f"基准{n}-{s}街道", code=f"B{n}-{s}", level=1, kind="street")
        micros = []
        for c in range(8):
            community = GridNode.objects.create(
                name=f"基准社区{c}", code=f"B{n}-{s}-{c}", level=2, kind="community", parent=street
            )
            for m in range(6):
                micros.append(
                    GridNode.objects.create(
                        name=f"{m}号微网格", code=f"B{n}-{s}-{c}-{m}", level=3, kind="micro_grid", parent=community
                    )
                )
        micro_by_street.append(micros)
    units = []
    from alliance.core.validators import make_credit_code

    for i in range(max(n // 20, 1)):
        micros = micro_by_street[i % streets]
        units.append(
            MemberUnit(
                name=f"基准单位{n}-{i}",
                kind="state_firm",
                credit_code=make_credit_code(f"9137{n:06d}{i:07d}"[:17]),
                grid_node=rng.choice(micros),
                contact_name="联络员",
                contact_phone="13800000000",
                joined_on="2024-01-01",
                star_rating=rng.randint(0, 5),
            )
        )
    units = MemberUnit.objects.bulk_create(units, batch_size=2000)
    street_of = {node.pk: s for s, micros in enumerate(micro_by_street) for node in micros}
    units_by_street: list[list] = [[] for _ in micro_by_street]
    for unit in units:  # in creation order, as the seed's choices below expect
        units_by_street[street_of[unit.grid_node.pk]].append(unit)
    resources, needs = [], []
    for i in range(n):
        s = i % streets
        cat = rng.choice(cats)
        words = WORDS[cat.parent.code]
        unit = rng.choice(units_by_street[s] or units)
        resources.append(
            Resource(
                title=_text(rng, words, 3),
                description=_text(rng, words, 8),
                category=cat,
                unit=unit,
                grid_node=unit.grid_node,
                quantity=rng.randint(1, 6),
            )
        )
        cat = rng.choice(cats)
        words = WORDS[cat.parent.code]
        needs.append(
            Need(
                title=_text(rng, words, 3),
                description=_text(rng, words, 8),
                category=cat,
                grid_node=rng.choice(micro_by_street[s]),
                people_affected=rng.randint(5, 200),
            )
        )
    Resource.objects.bulk_create(resources, batch_size=5000)
    Need.objects.bulk_create(needs, batch_size=5000)


def clear():
    """Raw deletes: a model delete would write a history row for each of the 100,000+ rows."""
    from members.models import MemberUnit
    from projects.models import Match, Need, Resource

    for qs in (
        Match.objects.all(),
        Need.objects.all(),
        Resource.objects.all(),
        MemberUnit.objects.filter(name__startswith="基准单位"),
    ):
        qs._raw_delete(qs.db)
    # The grid nodes stay (their codes carry N); the database is thrown away at the end.


def _database_url() -> str:
    """The URL of the bench's throw-away database, for the child process that runs the job."""
    from django.db import connection

    s = connection.settings_dict
    auth = (s["USER"] or "") + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def child() -> None:
    """In a fresh process, as a worker runs it: the nightly task, with its run record; prints time, count, peak."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")
    import django

    django.setup()
    from projects.tasks import match_all_task

    started = time.perf_counter()
    count = match_all_task.apply().get()
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak = usage.ru_maxrss * 1024  # kB on Linux
    # The CPU seconds of this process (Django's start included) tell the job's own work from the machine's load.
    cpu = usage.ru_utime + usage.ru_stime
    print(json.dumps({"seconds": seconds, "count": count, "peak": peak, "cpu": cpu}), flush=True)


def run_job() -> tuple[float, int, int, float, list[tuple[int, int]]]:
    """Seconds, suggestions, the job's peak memory (bytes), its CPU seconds and the progress seen in its run
    record while it ran."""
    from django.db import connection
    from django_celery_results.models import TaskResult

    from projects import matching

    TaskResult.objects.all().delete()
    if connection.vendor != "postgresql":  # an in-memory database: no other process sees it
        started = time.perf_counter()
        count = matching.run_all()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        seconds = time.perf_counter() - started
        return seconds, count, peak, time.process_time(), []
    env = {**os.environ, "DATABASE_URL": _database_url(), "PYTHONUNBUFFERED": "1"}
    root = Path(__file__).resolve().parents[2]
    code = "from tests.bench.matching import child; child()"
    process = subprocess.Popen([sys.executable, "-c", code], cwd=root, env=env, stdout=subprocess.PIPE, text=True)
    seen: list[tuple[int, int]] = []
    while process.poll() is None:
        time.sleep(0.25)
        for status, result in TaskResult.objects.filter(task_name="projects.match_all").values_list("status", "result"):
            meta = json.loads(result or "null")
            if status == "PROGRESS" and (meta["done"], meta["total"]) not in seen:
                seen.append((meta["done"], meta["total"]))
    out, _ = process.communicate()
    if process.returncode:
        raise RuntimeError(f"the matching job failed (exit status {process.returncode})")
    figures = json.loads(out.strip().splitlines()[-1])
    return figures["seconds"], figures["count"], figures["peak"], figures["cpu"], seen


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    from projects.models import Match
    from tests.bench.report import Figure, print_report

    if connection.vendor == "postgresql":
        # Its own throw-away database, apart from the one the test suite uses.
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"bench_{connection.settings_dict['NAME']}"
    print(f"数据库: {connection.vendor} · CPU: {os.cpu_count()} 核 · 负载 {os.getloadavg()[0]:.1f}", flush=True)
    config = setup_databases(verbosity=0, interactive=False)
    rows = []
    try:
        for n in SIZES:
            build_district(n)
            runs = []
            for _ in range(REPEAT):
                Match.objects.all()._raw_delete(Match.objects.db)
                connection.close()  # the child process works alone on the database
                runs.append(run_job())
            seconds, count, peak, cpu, seen = min(runs)
            rows.append((n, seconds, count, max(r[2] for r in runs), cpu, seen))
            shown = " / ".join(f"{r[0]:.2f}" for r in runs)
            progress = ", ".join(f"{done}/{total}" for done, total in seen[:3]) + (" …" if len(seen) > 3 else "")
            print(
                f"  N={n:>6}: {shown} s(取最快), CPU {cpu:.1f} s, {count} 条建议, 峰值内存 {peak / 2**20:.0f} MB,"
                f" 运行中看到的进度 {len(seen)} 次({progress}), 负载 {os.getloadavg()[0]:.1f}",
                flush=True,
            )
            clear()
    finally:
        teardown_databases(config, verbosity=0)
    return 0 if print_report(figures(rows, Figure), "匹配") else 1


# The targets: the biggest run under 5 minutes, time(2N)/time(N) at most 2.5, the worker under 2 GB.
MAX_SECONDS, MAX_RATIO, MAX_PEAK = 300, 2.5, 2 * 2**30


def figures(rows, Figure) -> list:
    by_n = {n: seconds for n, seconds, *_ in rows}
    biggest = max(by_n)
    out = []
    for n, seconds, count, peak, cpu, seen in rows:
        out.append(
            Figure(
                "匹配",
                f"{n}×{n} 用时",
                value=seconds,
                unit="s",
                target=f"<{MAX_SECONDS} s" if n == biggest else "",
                ok=seconds < MAX_SECONDS if n == biggest else None,
                note=f"{count} 条建议, 子进程 CPU {cpu:.1f} s",
            )
        )
        out.append(Figure("匹配", f"{n}×{n} 建议/秒", value=count / seconds, unit="条/s"))
        if n // 2 in by_n:
            ratio = seconds / by_n[n // 2]
            target = f"≤{MAX_RATIO}"
            out.append(Figure("匹配", f"time({n})/time({n // 2})", ratio=ratio, target=target, ok=ratio <= MAX_RATIO))
        out.append(
            Figure(
                "匹配",
                f"{n}×{n} 峰值内存",
                who="worker",
                value=peak / 2**20,
                unit="MB",
                target="<2 GB",
                ok=peak < MAX_PEAK,
                note="子进程的 ru_maxrss",
            )
        )
        last = f"最后 {seen[-1][0]}/{seen[-1][1]}" if seen else ""
        out.append(
            Figure(
                "匹配", f"{n}×{n} 运行中的进度", value=len(seen), unit="次", note=f"任务记录中读到的 PROGRESS {last}"
            )
        )
    return out
