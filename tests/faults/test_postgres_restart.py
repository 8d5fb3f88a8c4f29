"""PostgreSQL restarted under a running site: the site answers again by itself (no restart of gunicorn).

This restarts the real database server, once and for about a second; every connection to it is cut.
"""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.db import connection, connections

from tests.faults.conftest import wait_until
from tests.grids.factories import CommunityFactory

pytestmark = pytest.mark.django_db(transaction=True)


def local_cluster() -> tuple[str, str] | None:
    """(version, name) of the local Debian cluster serving the test database, if we may restart it."""
    host = connection.settings_dict["HOST"] or "localhost"
    port = str(connection.settings_dict["PORT"] or 5432)
    if host not in {"127.0.0.1", "localhost", "::1"} or not shutil.which("pg_ctlcluster"):
        return None
    for conf in sorted(Path("/etc/postgresql").glob("*/*/postgresql.conf")):
        text = conf.read_text(errors="replace")
        if any("".join(line.split("#")[0].split()) == f"port={port}" for line in text.splitlines()):
            return conf.parent.parent.name, conf.parent.name
    return None


def database_ready() -> bool:
    s = connection.settings_dict
    args = ["pg_isready", "-q", "-h", s["HOST"] or "127.0.0.1", "-p", str(s["PORT"] or 5432)]
    return subprocess.run(args, check=False, timeout=5).returncode == 0


def test_site_answers_again_after_postgresql_restarts(web_factory, street):
    cluster = local_cluster()
    if cluster is None:
        pytest.skip("the test database is not a local Debian PostgreSQL cluster this test may restart")
    CommunityFactory(parent=street, name="舜耕社区")
    web = web_factory(redis_url="")
    # Warm up: the gunicorn worker now holds a persistent database connection (CONN_MAX_AGE).
    assert web.request(f"/grid/{street.pk}/")[0] == 200

    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", "--mode", "fast", *cluster, "restart"],
        check=True,
        timeout=60,
        capture_output=True,
    )
    try:
        wait_until(database_ready, timeout=30, interval=0.2, what="PostgreSQL to accept connections")
    finally:
        connections.close_all()  # this process's connections were cut too

    status, body = web.request(f"/grid/{street.pk}/")
    assert status == 200, f"{status}: {str(body)[:500]}\n{web.log()}"
    assert "舜耕社区" in body
    assert web.process.poll() is None  # the same gunicorn, never restarted
