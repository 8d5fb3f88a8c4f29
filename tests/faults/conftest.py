"""Fault tests with the real servers: a private Redis and a private PostgreSQL that the tests stop and
start, gunicorn and Celery worker processes on the test database (or on the private copy of it).

The shared servers are never stopped: each test that needs Redis or PostgreSQL to fail runs its own
redis-server or PostgreSQL cluster (initdb in a temporary directory) on a free port, and points the web and
worker processes it starts at that one.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT, worker_env

REDIS_SERVER = shutil.which("redis-server")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, *, timeout: float, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:g}s waiting for {what}")


def stop(process: subprocess.Popen | None, *, kill: bool = False) -> None:
    if process is None or process.poll() is not None:
        return
    process.kill() if kill else process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class PrivateRedis:
    """A throw-away redis-server on its own port (no persistence), for this test alone."""

    def __init__(self, log_dir: Path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log_dir = log_dir
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        log = open(self.log_dir / "redis.log", "ab")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_until(self.ping, timeout=10, what=f"redis-server on port {self.port}")

    def stop(self) -> None:
        stop(self.process)
        self.process = None

    def client(self):
        import redis

        return redis.Redis.from_url(self.url, socket_connect_timeout=1, socket_timeout=2)

    def ping(self) -> bool:
        try:
            return bool(self.client().ping())
        except Exception:  # noqa: BLE001 - not up yet
            return False


@pytest.fixture
def private_redis(tmp_path):
    if REDIS_SERVER is None:
        pytest.skip("redis-server is not installed")
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


def postgres_bindir() -> Path | None:
    """The newest PostgreSQL server binaries installed (Debian: /usr/lib/postgresql/<version>/bin)."""
    found = [
        d for d in Path("/usr/lib/postgresql").glob("*/bin") if (d / "initdb").exists() and (d / "pg_ctl").exists()
    ]
    found.sort(key=lambda d: int(d.parent.name) if d.parent.name.isdigit() else 0)
    return found[-1] if found else None


class PrivatePostgres:
    """A throw-away PostgreSQL cluster (initdb in a temporary directory, its own port), for this test alone.

    Its server runs as the ``postgres`` system user when the tests run as root (initdb refuses root). It
    accepts local connections without a password and skips fsync: nothing in it outlives the test.
    """

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="pg-fault-"))
        self.data = self.dir / "data"
        self.log_path = self.dir / "server.log"
        self.run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.run_as:
            shutil.chown(self.dir, user="postgres")

    def _server(self, *args: str, timeout: float = 60) -> None:
        # Output to a file, not a pipe: the server started by pg_ctl would hold a pipe open after pg_ctl exits.
        with open(self.dir / "pg_ctl.log", "ab") as out:
            subprocess.run(
                [*self.run_as, str(self.bindir / args[0]), *args[1:]],
                check=True,
                timeout=timeout,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=self.dir,
            )

    def init(self) -> None:
        self._server("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")

    def _options(self) -> str:
        return f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"

    def start(self) -> None:
        self._server("pg_ctl", "-D", str(self.data), "-l", str(self.log_path), "-o", self._options(), "-w", "start")

    def restart(self) -> None:
        """A fast restart: every connection to this server is cut."""
        self._server("pg_ctl", "-D", str(self.data), "-m", "fast", "-o", self._options(), "-w", "restart")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._server("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def ready(self) -> bool:
        args = [str(self.bindir / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port)]
        return subprocess.run(args, check=False, timeout=5).returncode == 0

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def copy_database(self, source: dict, name: str) -> str:
        """A copy of ``source`` (a Django settings_dict: schema and committed rows) as database ``name``."""
        env = {**os.environ, "PGPASSWORD": source.get("PASSWORD") or ""}
        dump = subprocess.run(
            [
                str(self.bindir / "pg_dump"),
                "--no-owner",
                "--no-privileges",
                "-h",
                source.get("HOST") or "127.0.0.1",
                "-p",
                str(source.get("PORT") or 5432),
                "-U",
                source.get("USER") or "postgres",
                source["NAME"],
            ],
            check=True,
            timeout=120,
            capture_output=True,
            env=env,
        ).stdout
        here = ["-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"]
        subprocess.run([str(self.bindir / "createdb"), *here, name], check=True, timeout=30, capture_output=True)
        subprocess.run(
            [str(self.bindir / "psql"), *here, "-q", "-v", "ON_ERROR_STOP=1", "-d", name],
            input=dump,
            check=True,
            timeout=120,
            capture_output=True,
        )
        return self.url(name)

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-3000:]
        except OSError:
            return ""

    def remove(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def private_postgres():
    bindir = postgres_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        pytest.skip("running as root without runuser: initdb cannot run")
    server = PrivatePostgres(bindir)
    try:
        server.init()
        server.start()
        yield server
    finally:
        server.remove()


def process_env(**extra) -> dict:
    env = worker_env()  # DATABASE_URL of the test database
    env.update({k: str(v) for k, v in extra.items()})
    return env


class Web:
    """gunicorn (sync workers, persistent database connections) on the test database."""

    def __init__(
        self,
        log_dir: Path,
        *,
        redis_url: str,
        workers: int = 1,
        database_url: str | None = None,
        env: dict | None = None,
    ):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        log = open(log_dir / "gunicorn.log", "ab")  # noqa: SIM115 - closed with the process
        self.log_path = log_dir / "gunicorn.log"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "alliance.wsgi:application",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "30",
                "--graceful-timeout",
                "2",
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=process_env(
                REDIS_URL=redis_url,
                CONN_MAX_AGE=600,
                AXES_ENABLED=0,
                **({"DATABASE_URL": database_url} if database_url else {}),
                **(env or {}),
            ),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_until(lambda: self.answers("/accounts/login/") is not None, timeout=30, what="gunicorn to answer")

    def request(self, path: str, *, data=None, token: str | None = None, timeout: float = 15) -> tuple[int, dict | str]:
        headers = {"Accept": "application/json"}
        body = None
        if data is not None:
            body = json.dumps(data).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Token {token}"
        req = urllib.request.Request(self.url + path, data=body, headers=headers, method="POST" if body else "GET")  # noqa: S310
        try:
            with urllib.request.urlopen(req, timeout=timeout) as response:  # noqa: S310 - loopback
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        text = raw.decode("utf-8", "replace")
        try:
            return status, json.loads(text)
        except ValueError:
            return status, text

    def answers(self, path: str) -> int | None:
        try:
            return self.request(path, timeout=5)[0]
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        stop(self.process)


@pytest.fixture
def web_factory(tmp_path):
    servers = []

    def make(**kwargs) -> Web:
        server = Web(tmp_path, **kwargs)
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


def start_worker(log_path: Path, *, redis_url: str, name: str) -> subprocess.Popen:
    """A real Celery worker (solo pool) on the test database and the given broker.

    It restores tasks left unacknowledged by a dead worker after 2 s instead of the production hour
    (``tests/faults/worker.py``).
    """
    log = open(log_path, "ab")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("worker.py")), "-n", f"{name}@%h"],
        cwd=ROOT,
        env=process_env(REDIS_URL=redis_url, VISIBILITY_TIMEOUT=2, PYTHONPATH=str(ROOT)),
        stdout=log,
        stderr=subprocess.STDOUT,
    )


@pytest.fixture
def worker_factory(tmp_path):
    workers = []

    def make(*, redis_url: str, name: str = "fault") -> subprocess.Popen:
        process = start_worker(tmp_path / f"{name}.log", redis_url=redis_url, name=f"{name}{len(workers)}")
        workers.append(process)
        return process

    yield make
    for process in workers:
        stop(process, kill=True)
    from django.db import connections

    connections.close_all()


def worker_log(tmp_path: Path) -> str:
    return "\n".join(p.read_text(errors="replace")[-3000:] for p in sorted(tmp_path.glob("fault*.log")))
