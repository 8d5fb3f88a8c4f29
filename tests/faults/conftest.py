"""Fault tests with the real servers: a private Redis that the test stops and starts, gunicorn and Celery
worker processes on the test database, and (once, briefly) a restart of the PostgreSQL server.

The shared Redis is never stopped: each test that needs Redis to fail runs its own redis-server on a free
port, and points the web and worker processes it starts at that one.
"""

import json
import shutil
import socket
import subprocess
import sys
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


def process_env(**extra) -> dict:
    env = worker_env()  # DATABASE_URL of the test database
    env.update({k: str(v) for k, v in extra.items()})
    return env


class Web:
    """gunicorn (sync workers, persistent database connections) on the test database."""

    def __init__(self, log_dir: Path, *, redis_url: str, workers: int = 1):
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
            env=process_env(REDIS_URL=redis_url, CONN_MAX_AGE=600, AXES_ENABLED=0),
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
