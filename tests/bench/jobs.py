"""The jobs bench: Celery worker processes on a bench database, loaded with the fan-out of a notice to a whole
city and with the reminder sweep, once with one worker process and once with two (issue 19).

    python -m tests.bench jobs [--database-url URL] [--redis-url URL] [--city] [--parts fanout,sweep]

Each part (``PARTS``: tests/bench/fanout.py, tests/bench/sweep.py) has ``run(ctx) -> list[Figure]`` and starts
the workers it needs with ``ctx.workers(n)``; the figures are printed by tests/bench/report.py.
"""

import argparse
import contextlib
import importlib
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests.bench.report import Figure, print_report
from tests.bench.web import ensure_database, manage

ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/alliance_bench_jobs"
DEFAULT_REDIS = "redis://127.0.0.1:6379/8"  # below the tests' databases (tests/bench/web.py)
PARTS = ("fanout", "sweep")


@dataclass
class JobsContext:
    env: dict  # DATABASE_URL, REDIS_URL, DJANGO_SETTINGS_MODULE of the bench database and broker
    args: argparse.Namespace

    @contextlib.contextmanager
    def workers(self, processes: int, queues: str = ""):
        """``celery worker --concurrency processes`` (prefork) on the bench database; stopped on leaving."""
        log = tempfile.NamedTemporaryFile(prefix="bench-celery-", suffix=".log", delete=False)  # noqa: SIM115
        command = [sys.executable, "-m", "celery", "-A", "alliance", "worker", "--pool=prefork"]
        command += [f"--concurrency={processes}", "--loglevel=WARNING", "--without-gossip", "--without-mingle"]
        command += ["-n", f"bench{processes}-{time.monotonic_ns()}@%h"]
        if queues:
            command += ["-Q", queues]
        process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        try:
            self.wait_for_workers(process, log.name)
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def wait_for_workers(self, process, log_name: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        code = "from alliance.core.health import check_worker; import sys; sys.exit(1 if check_worker() else 0)"
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"the Celery worker stopped; see {log_name}")
            if subprocess.run([sys.executable, "-c", _django(code)], cwd=ROOT, env=self.env).returncode == 0:
                return
            time.sleep(0.5)
        raise RuntimeError(f"the Celery worker did not answer; see {log_name}")

    def manage(self, *args: str, capture: bool = False) -> str:
        return manage(self.env, *args, capture=capture)


def _django(code: str) -> str:
    return f"import django; django.setup(); {code}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench jobs")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_JOBS_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_JOBS_REDIS_URL", DEFAULT_REDIS))
    parser.add_argument("--city", action="store_true", help="at the size of a whole city (100,000 residents)")
    parser.add_argument("--parts", default="", help=f"comma-separated parts to run: {PARTS}")
    args = parser.parse_args(argv)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DATABASE_URL=args.database_url,
        REDIS_URL=args.redis_url,
        DJANGO_SETTINGS_MODULE="alliance.settings",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    ensure_database(args.database_url)
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    ctx = JobsContext(env=env, args=args)
    print(f"任务基准: {os.cpu_count()} 核, 负载 {os.getloadavg()[0]:.1f}", flush=True)
    figures: list[Figure] = []
    for name in PARTS:
        if args.parts and name not in args.parts.split(","):
            continue
        figures.extend(importlib.import_module(f"tests.bench.{name}").run(ctx))
    return 0 if print_report(figures, "后台任务") else 1
