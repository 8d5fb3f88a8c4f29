"""Web benchmark: gunicorn on PostgreSQL with the demo district, loaded by wrk from a second process.

    python -m tests.bench web [--duration 10] [--connections 16] [--database-url URL] [--no-seed] [--city]

Starts gunicorn (2 sync workers, persistent database connections, BENCH_CEILINGS=1) on a bench database
(``BENCH_DATABASE_URL``, default ``postgres://postgres@127.0.0.1:5432/alliance_bench``, created, migrated and
seeded with ``seed_demo`` unless ``--no-seed``; ``--city`` adds ``seed_city``: use another database for it), then runs wrk against each page and API list, anonymous and
logged in (a session cookie of the demo resident), plus the two ceilings (alliance.site.bench_views) in the same
run. Prints requests per second, p95 latency and the ratio to the matching ceiling (pages to the template
ceiling, API lists to the DRF ceiling; logged-in rows to the logged-in ceiling), and for each page the time
of one request with nothing cached (the versions in ``BENCH_REDIS_URL``, default Redis db 9, forgotten
first). Then the further parts (``PARTS``: tests/bench/admin.py, writes.py, replica.py) run against the same
server, each with its own ceiling; ``--parts`` picks some of them. Everything is printed by
tests/bench/report.py: one table and a verdict line per target.
"""

import argparse
import contextlib
import importlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from tests.bench.report import Figure, print_report

ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/alliance_bench"
# The production stack caches in Redis. The tests take db 15 and the ones below it (one per process of make test),
# so the benches sit far below: db 9 here, db 8 for the jobs bench (tests/bench/jobs.py).
DEFAULT_REDIS = "redis://127.0.0.1:6379/9"

# (label, path, kind): kind "page" compares to the template ceiling, "api" to the DRF ceiling.
TARGETS = [
    ("首页 /", "/", "page"),
    ("统计 /alliance/statistics/", "/alliance/statistics/", "page"),
    ("网格公示 /grid/", "/grid/", "page"),
    ("项目清单 /lists/projects/", "/lists/projects/", "page"),
    ("服务菜单 /services/menu/", "/services/menu/", "page"),
    ("全区数据 /alliance/figures/", "/alliance/figures/", "page"),
    ("API 成员单位", "/api/v1/units/", "api"),
    ("API 服务菜单", "/api/v1/menu/", "api"),
    ("API 项目", "/api/v1/projects/", "api"),
    ("API 网格", "/api/v1/grids/", "api"),
    ("API 各街道数据", "/api/v1/district-stats/", "api"),
]
# Pages that are the same for every visitor (cacheable): they must reach the template ceiling itself. Signed in,
# "/" is the resident's own home (their services and 我的), a per-person page like the others.
SAME_FOR_EVERYONE = {"/", "/alliance/statistics/"}
PER_PERSON_WHEN_SIGNED_IN = {"/"}
CEILINGS = {"page": ("天花板 模板页20行", "/bench/page/"), "api": ("天花板 DRF列表20行", "/bench/api/")}

LUA = """
done = function(summary, latency, requests)
  io.write(string.format("BENCH p95_us=%d p50_us=%d bad=%d errors=%d\\n",
    latency:percentile(95), latency:percentile(50), summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env: dict, *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        capture_output=capture,
    )
    return result.stdout if capture else ""


def ensure_database(url: str) -> None:
    import psycopg2
    from dj_database_url import parse

    s = parse(url)
    conn = psycopg2.connect(
        dbname="postgres", user=s["USER"], password=s["PASSWORD"], host=s["HOST"], port=s["PORT"] or 5432
    )
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [s["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{s["NAME"]}"')
    conn.close()


SESSION_CODE = """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from members.models import User
user = User.objects.get(username="{username}")
s = SessionStore()
s[SESSION_KEY] = str(user.pk)
s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
s[HASH_SESSION_KEY] = user.get_session_auth_hash()
s.set_expiry(86400)
s.create()
print("SESSION", s.session_key)
"""


def session_cookie(env: dict, username: str) -> str:
    out = manage(env, "shell", "-c", SESSION_CODE.format(username=username), capture=True)
    key = re.search(r"SESSION (\w+)", out).group(1)
    return f"sessionid={key}"


def fetch(url: str, cookie: str | None) -> tuple[int, str]:
    req = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(req, timeout=120) as response:  # noqa: S310 - loopback
            return response.status, response.geturl()
    except urllib.error.HTTPError as error:
        return error.code, url


def forget_cached_pages(redis_url: str) -> None:
    """Every cached page and list built afresh (alliance.core.cache keeps its versions under "*:version:*")."""
    if not redis_url:
        return
    import redis

    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter("*:version:*"))
    if keys:
        client.delete(*keys)


def cold_fetch_ms(url: str, cookie: str | None, redis_url: str) -> float | None:
    """The time of one request with nothing cached: what the first visitor after a change waits."""
    forget_cached_pages(redis_url)
    started = time.monotonic()
    try:
        fetch(url, cookie)
    except OSError:
        return None
    return (time.monotonic() - started) * 1000


def run_wrk(url: str, *, cookie: str | None, duration: int, connections: int, script: str) -> dict:
    args = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{duration}s", "--timeout", "10s", "-s", script]
    if cookie:
        args += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*args, url], check=True, text=True, capture_output=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    m = re.search(r"BENCH p95_us=(\d+) p50_us=(\d+) bad=(\d+) errors=(\d+)", out)
    return {
        "rps": rps,
        "p95": int(m.group(1)) / 1000,
        "p50": int(m.group(2)) / 1000,
        "bad": int(m.group(3)) + int(m.group(4)),
    }


@dataclass
class Context:
    """What each further part of the web bench (tests/bench/admin.py, writes.py, replica.py) is given."""

    base: str  # http://127.0.0.1:<port> of the running gunicorn
    env: dict  # the environment gunicorn and manage.py run with (DATABASE_URL, REDIS_URL, ...)
    args: argparse.Namespace
    script: str  # the wrk Lua script printing p95/p50/bad
    measure: object  # measure(path, cookie) -> (result dict or None, note): cold fetch, warm-up, wrk
    cookies: dict = field(default_factory=dict)

    def cookie(self, username: str) -> str:
        """A session cookie of ``username`` (made once)."""
        if username not in self.cookies:
            self.cookies[username] = session_cookie(self.env, username)
        return self.cookies[username]


# The further parts, in the order they run after the public pages; each has run(ctx) -> list[Figure].
PARTS = ("admin", "writes", "replica")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench web")
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", "10")))
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS))
    parser.add_argument("--user", default="resident", help="the account of the logged-in rows")
    parser.add_argument("--no-seed", action="store_true", help="the database is already seeded (it is still migrated)")
    parser.add_argument("--city", action="store_true", help="also seed a whole city (manage.py seed_city) first")
    parser.add_argument("--only", default="", help="comma-separated substrings of the paths to run")
    parser.add_argument("--parts", default="", help=f"comma-separated parts to run after the pages: {PARTS}")
    args = parser.parse_args(argv)

    if not shutil.which("wrk"):
        print("wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 2
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DATABASE_URL=args.database_url,
        REDIS_URL=args.redis_url,
        CONN_MAX_AGE="600",
        BENCH_CEILINGS="1",
        DJANGO_SETTINGS_MODULE="alliance.settings",
        LOG_LEVEL="WARNING",
        AXES_ENABLED="0",
    )
    ensure_database(args.database_url)
    manage(env, "migrate", "--noinput", "--verbosity", "0")  # the pages need today's schema, seeded or not
    if not args.no_seed:
        t = time.monotonic()
        manage(env, "seed_demo")
        if args.city:
            manage(env, "seed_city")
        print(f"database ready in {time.monotonic() - t:.0f}s: {args.database_url}")
    cookie = session_cookie(env, args.user)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "alliance.wsgi:application", "--workers", str(args.workers)]
        + ["--bind", f"127.0.0.1:{port}", "--timeout", "60", "--log-level", "warning", "--no-control-socket"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    rows = []
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                fetch(base + "/bench/page/", None)
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline or gunicorn.poll() is not None:
                    raise RuntimeError(f"gunicorn did not start; see {log.name}") from None
                time.sleep(0.3)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(LUA)
        only = [s for s in args.only.split(",") if s]
        print(
            f"wrk: {args.connections} connections, {args.duration}s each, gunicorn {args.workers} sync workers; "
            f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
        )

        def measure(path, cookie_value):
            try:
                status, final = fetch(base + path, cookie_value)
            except OSError as exc:  # a page slower than the timeout, or a worker still busy with a backlog
                return None, f"{type(exc).__name__}"
            if status != 200 or (cookie_value and "/accounts/login" in final):
                return None, f"HTTP {status}"
            cold = cold_fetch_ms(base + path, cookie_value, args.redis_url)
            # Warm the workers (persistent connections, template caches) before measuring.
            run_wrk(base + path, cookie=cookie_value, duration=1, connections=4, script=script.name)
            r = run_wrk(
                base + path,
                cookie=cookie_value,
                duration=args.duration,
                connections=args.connections,
                script=script.name,
            )
            # Slow pages leave a backlog in gunicorn after wrk stops; let it drain before the next measurement.
            for _ in range(3):
                with contextlib.suppress(OSError):
                    fetch(base + "/bench/page/", None)
                    break
            r["cold"] = cold
            return r, f"{r['bad']} bad" if r["bad"] else ""

        # Each group (anonymous/logged in × pages/API lists) is bracketed by its ceiling, measured before and
        # after it; the ratio uses the mean, so a machine busy with something else moves both alike.
        for who, cookie_value in (("匿名", None), ("登录", cookie)):
            for kind, (ceiling_label, ceiling_path) in CEILINGS.items():
                targets = [(label, path) for label, path, k in TARGETS if k == kind]
                targets = [(label, path) for label, path in targets if not only or any(s in path for s in only)]
                before, note = measure(ceiling_path, cookie_value)
                if before is None:
                    raise RuntimeError(f"the ceiling {ceiling_path} does not answer ({note}); BENCH_CEILINGS=1?")
                group = []
                for label, path in targets:
                    r, note = measure(path, cookie_value)
                    group.append((label, path, r, note))
                    if r:
                        print(f"  {label} ({who}): {r['rps']:.0f} req/s, p95 {r['p95']:.1f} ms", flush=True)
                after, _ = measure(ceiling_path, cookie_value)
                after = after or before  # the second measurement failed (a backlog left by a slow page)
                ceiling = {
                    "rps": (before["rps"] + after["rps"]) / 2,
                    "p95": max(before["p95"], after["p95"]),
                    "bad": before["bad"] + after["bad"],
                }
                print(f"  {ceiling_label} ({who}): {before['rps']:.0f} / {after['rps']:.0f} req/s", flush=True)
                rows.append(Figure("页面", ceiling_label, who, ceiling["rps"], p95=ceiling["p95"], note=_cold(before)))
                for label, path, r, note in group:
                    if r is None:
                        rows.append(Figure("页面", label, who, note=note, ok=False, target="能打开"))
                        continue
                    ratio = r["rps"] / ceiling["rps"]
                    same = path in SAME_FOR_EVERYONE
                    if cookie_value is not None and path in PER_PERSON_WHEN_SIGNED_IN:
                        same = False
                    goal = 1.0 if same else 0.7
                    rows.append(
                        Figure(
                            "页面",
                            label,
                            who,
                            r["rps"],
                            p95=r["p95"],
                            ceiling=ceiling["rps"],
                            ratio=ratio,
                            target=f"≥{goal:.1f}×",
                            ok=ratio >= goal and not r["bad"],
                            note="; ".join(x for x in (_cold(r), note) if x),
                        )
                    )
        ctx = Context(base=base, env=env, args=args, script=script.name, measure=measure)
        for name in PARTS:
            if args.parts and name not in args.parts.split(","):
                continue
            part = importlib.import_module(f"tests.bench.{name}")
            rows.extend(part.run(ctx))
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)

    ok = print_report(rows, "网页与接口" + ("（全市）" if args.city else ""))
    return 0 if ok else 1


def _cold(r: dict) -> str:
    return f"未缓存首个请求 {r['cold']:.0f} ms" if r.get("cold") is not None else ""


if __name__ == "__main__":
    sys.exit(main())
