"""The read replica part of the web bench: the primary's load on the heavy read pages without and with a replica.

    python -m tests.bench web --no-seed --only /nothing --parts replica [--duration 5]

The shared server must not be replicated, so this part ignores ``ctx.base`` and starts its own private primary
and streaming replica (tests/replica/cluster.py; the primary a copy of a kept template migrated and seeded with
``seed_demo``, made on first use), then gunicorn twice on the same primary: without ``REPLICA_DATABASE_URL``,
then with it. The cache is off (``REDIS_URL`` points at a closed port: alliance.core.cache builds every page and
list live, so every request really reads the database). For each page, wrk runs as in the rest of the web bench
and the bench reads, before and after, each server's ``pg_stat_database`` (rows returned and fetched,
transactions) and the CPU time of the primary's backends (/proc): the figures are per request gunicorn answered
(its access log, once the requests wrk left queued are answered too).

Target: with the replica, the primary reads at most a tenth of the rows per request it read without. What stays
on the primary is by design: a signed-in person's session and account (two rows), never the page's figures.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
from pathlib import Path

from tests.bench.report import Figure
from tests.bench.web import ROOT, fetch, run_wrk, session_cookie
from tests.replica import cluster

SECTION = "只读副本"
# (label, path, who): the statistics pages, the dashboard and the district figures, anonymous and signed in.
PAGES = [
    ("全区数据 /alliance/figures/", "/alliance/figures/", ""),
    ("大工委统计 /alliance/statistics/", "/alliance/statistics/", ""),
    ("API 各街道数据", "/api/v1/district-stats/", ""),
    ("排行 /alliance/top10/", "/alliance/top10/", ""),
    ("统计看板 /admin/dashboard/", "/admin/dashboard/", "district_admin"),
]
# The primary's rows read per request with the replica, as a share of those without: at most this.
TARGET = 0.10
DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens there: the cache is off, every page is built live
SETTLE = 3.0  # s: PostgreSQL's backends report their statistics at most once a second


def _prepare(pair: cluster.Pair) -> None:
    env = _env(pair, replica=False)
    for args in (("migrate", "--noinput", "--verbosity", "0"), ("seed_demo",)):
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)


def _env(pair: cluster.Pair, *, replica: bool) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DATABASE_URL=pair.primary_url,
        REPLICA_DATABASE_URL=pair.replica_url if replica else "",
        REDIS_URL=DEAD_REDIS,
        CONN_MAX_AGE="600",
        DJANGO_SETTINGS_MODULE="alliance.settings",
        LOG_LEVEL="ERROR",  # a warning per cache miss otherwise
        AXES_ENABLED="0",
    )
    return env


def _counters(pair: cluster.Pair, port: int) -> dict:
    row = pair.sql(
        port,
        "SELECT xact_commit + xact_rollback, tup_returned, tup_fetched FROM pg_stat_database "
        "WHERE datname = current_database()",
    )
    return {"xacts": row[0], "rows": row[1] + row[2]}


def _backend_cpu_seconds(data_dir: Path) -> float:
    """user + system time of every process the primary's postmaster started (its backends)."""
    postmaster = int((data_dir / "postmaster.pid").read_text().split()[0])
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == postmaster:  # ppid
                ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def _served(access_log: str) -> int:
    """Requests gunicorn has answered so far (its access log's lines)."""
    with open(access_log, "rb") as f:
        return sum(1 for _ in f)


def _drained(access_log: str) -> int:
    """Wait until gunicorn has answered the requests wrk left queued (its log stops growing), then SETTLE."""
    count, stable_since = _served(access_log), time.monotonic()
    while time.monotonic() - stable_since < 1.5:
        time.sleep(0.25)
        now = _served(access_log)
        if now != count:
            count, stable_since = now, time.monotonic()
    time.sleep(SETTLE)
    return _served(access_log)


def _gunicorn(env: dict, workers: int) -> tuple[subprocess.Popen, str, str]:
    port = cluster.free_port()
    log = tempfile.NamedTemporaryFile(prefix="bench-replica-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    access = tempfile.NamedTemporaryFile(prefix="bench-replica-access-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "alliance.wsgi:application", "--workers", str(workers)]
        + ["--bind", f"127.0.0.1:{port}", "--timeout", "60", "--log-level", "warning", "--no-control-socket"]
        + ["--access-logfile", access.name],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            fetch(base + "/healthz", None)
            return process, base, access.name
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline or process.poll() is not None:
                process.terminate()
                raise RuntimeError(f"gunicorn did not start; see {log.name}") from None
            time.sleep(0.3)


def _measure_all(ctx, pair: cluster.Pair, *, replica: bool, cookies: dict) -> dict:
    process, base, access_log = _gunicorn(_env(pair, replica=replica), ctx.args.workers)
    found = {}
    try:
        for label, path, who in PAGES:
            cookie = cookies.get(who)
            status, final = fetch(base + path, cookie)
            if status != 200 or "/login" in final:
                found[path] = {"error": f"HTTP {status} {final}"}
                continue
            run_wrk(base + path, cookie=cookie, duration=1, connections=4, script=ctx.script)  # warm the workers
            served = _drained(access_log)
            before = {"primary": _counters(pair, pair.primary_port), "replica": _counters(pair, pair.replica_port)}
            cpu = _backend_cpu_seconds(pair.primary_dir)
            r = run_wrk(
                base + path, cookie=cookie, duration=ctx.args.duration, connections=ctx.args.connections,
                script=ctx.script,
            )  # fmt: skip
            served = max(1, _drained(access_log) - served)  # wrk's and the queued ones it left, all answered
            cpu = _backend_cpu_seconds(pair.primary_dir) - cpu
            after = {"primary": _counters(pair, pair.primary_port), "replica": _counters(pair, pair.replica_port)}
            found[path] = {
                **r,
                "served": served,
                "cpu_ms": cpu * 1000 / served,
                **{
                    f"{server}_{k}": (after[server][k] - before[server][k]) / served
                    for server in ("primary", "replica")
                    for k in ("rows", "xacts")
                },
            }
            print(
                f"  {label} ({'有副本' if replica else '无副本'}): {r['rps']:.0f} req/s, "
                f"primary {found[path]['primary_rows']:.0f} rows/req, replica {found[path]['replica_rows']:.0f}",
                flush=True,
            )
    finally:
        process.terminate()
        process.wait(timeout=30)
    return found


def run(ctx) -> list[Figure]:
    reason = cluster.available()
    if reason:
        return [Figure(SECTION, "主库与副本", note=f"skipped: {reason}")]
    pair = cluster.Pair()
    figures: list[Figure] = []
    try:
        started = time.monotonic()
        pair.start(key=cluster.migrations_key("demo"), prepare=_prepare)
        _prepare_env = _env(pair, replica=False)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
            cwd=ROOT, env=_prepare_env, check=True, capture_output=True,
        )  # fmt: skip
        pair.sql(pair.primary_port, "VACUUM ANALYZE")  # nothing left for autovacuum (off) to read meanwhile
        pair.wait_caught_up()
        print(f"replica bench: primary :{pair.primary_port}, replica :{pair.replica_port} "
              f"ready in {time.monotonic() - started:.0f}s", flush=True)  # fmt: skip
        cookies = {"district_admin": session_cookie(_prepare_env, "district_admin")}
        pair.wait_caught_up()
        without = _measure_all(ctx, pair, replica=False, cookies=cookies)
        with_replica = _measure_all(ctx, pair, replica=True, cookies=cookies)
    finally:
        pair.stop()

    total = {"without": 0.0, "with": 0.0, "replica": 0.0}
    for label, path, who in PAGES:
        a, b = without[path], with_replica[path]
        who_label = "区级管理员" if who else "匿名"
        if "error" in a or "error" in b:
            figures.append(Figure(SECTION, label, who_label, note=a.get("error") or b.get("error"), ok=False))
            continue
        figures.append(
            Figure(
                SECTION, f"{label} 主库读取行/请求", f"{who_label} 无副本", a["primary_rows"], unit="行",
                p95=a["p95"],
                note=f"{a['rps']:.0f} req/s; 主库事务 {a['primary_xacts']:.1f}/请求, CPU {a['cpu_ms']:.1f} ms/请求",
            )
        )  # fmt: skip
        ratio = b["primary_rows"] / a["primary_rows"] if a["primary_rows"] else 0.0
        moved = b["replica_rows"] / ((b["replica_rows"] + b["primary_rows"]) or 1)
        figures.append(
            Figure(
                SECTION, f"{label} 主库读取行/请求", f"{who_label} 有副本", b["primary_rows"], unit="行",
                p95=b["p95"], ceiling=a["primary_rows"], ratio=ratio, target=f"≤{TARGET:.2f}×",
                ok=ratio <= TARGET and not b["bad"],
                note=(
                    f"{b['rps']:.0f} req/s; 副本 {b['replica_rows']:.0f} 行/请求（移走 {moved:.0%}）; "
                    f"主库事务 {b['primary_xacts']:.1f}/请求, CPU {b['cpu_ms']:.1f} ms/请求"
                ),
            )
        )  # fmt: skip
        total["without"] += a["primary_rows"]
        total["with"] += b["primary_rows"]
        total["replica"] += b["replica_rows"]
    if total["without"]:
        share = total["with"] / total["without"]
        figures.append(
            Figure(
                SECTION, "合计 主库读取行/请求（有副本÷无副本）", "", share * 100, unit="%",
                ratio=share, target=f"≤{TARGET:.2f}×", ok=share <= TARGET,
                note=f"移到副本的读取 {total['replica'] / ((total['replica'] + total['with']) or 1):.0%}",
            )
        )  # fmt: skip
    return figures


def main(argv: list[str] | None = None) -> int:
    """This part alone (it needs nothing of the web bench's server): ``python -m tests.bench.replica``."""
    import argparse

    from tests.bench.report import print_report
    from tests.bench.web import LUA, Context

    parser = argparse.ArgumentParser(prog="python -m tests.bench.replica")
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", "10")))
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA)
    ctx = Context(base="", env={}, args=args, script=script.name, measure=None)
    return 0 if print_report(run(ctx), "只读副本") else 1


if __name__ == "__main__":
    sys.exit(main())
