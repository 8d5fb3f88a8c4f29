"""A fresh checkout with no settings at all: SQLite and the file broker, web + worker, no server needed."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, timeout: float = 20.0) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback only
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.mark.slow
def test_embedded_defaults_serve_the_demo_home_page_and_a_healthy_worker(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    env["HEALTHZ_DETAILS"] = "1"  # the backends in use are shown to staff only, or with this setting
    env = {k: v for k, v in env.items() if not k.startswith("PYTEST")}
    env.update(DATA_DIR=str(tmp_path / "var"), PYTHONUNBUFFERED="1")
    bin_dir = Path(sys.executable).parent
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=900)
    seeded = subprocess.run(
        [*manage, "seed_demo"], cwd=ROOT, env=env, check=True, timeout=900, capture_output=True, text=True
    )
    assert "street_admin" in seeded.stdout

    port = free_port()
    log = open(tmp_path / "procs.log", "wb")  # noqa: SIM115
    web = subprocess.Popen(
        [str(bin_dir / "gunicorn"), "alliance.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    worker = subprocess.Popen(
        [str(bin_dir / "celery"), "-A", "alliance", "worker", "--pool=solo", "--without-gossip", "--without-mingle"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        status, page = 0, ""
        while time.monotonic() < deadline:
            try:
                status, page = fetch(f"http://127.0.0.1:{port}/")
                break
            except OSError:
                time.sleep(0.5)
        assert status == 200
        assert "舜玉路街道" in page and "联盟概况" in page

        assert fetch(f"http://127.0.0.1:{port}/admin/login/")[0] == 200

        health = {}
        while time.monotonic() < deadline:
            status, body = fetch(f"http://127.0.0.1:{port}/healthz")
            health = json.loads(body)
            if status == 200:
                break
            time.sleep(1)
        assert health["status"] == "ok", health
        assert health["backends"] == {"broker": "filesystem", "database": "sqlite"}
    finally:
        for process in (web, worker):
            process.terminate()
        for process in (web, worker):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()
