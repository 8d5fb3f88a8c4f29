"""A private PostgreSQL primary and its streaming replica, in a temporary directory on two free ports.

Used by the replica tests (tests/replica/conftest.py) and the replica bench (tests/bench/replica.py): the shared
server on 5432 is never touched. The primary is made by initdb (wal_level=replica, trust for 127.0.0.1 including
replication), the replica by ``pg_basebackup -R`` from it (hot standby). PostgreSQL refuses to run as root: as
root every server command runs as the ``postgres`` account (runuser), which owns the directory.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
ROOT = Path(__file__).resolve().parent.parent.parent
# Migrated (or seeded) primaries kept between runs, keyed by the migrations they were made with: migrating a
# new database takes minutes on a busy machine, copying a stopped one seconds.
TEMPLATES = Path(tempfile.gettempdir()) / "alliance-replica-templates"
TOOLS = ("initdb", "pg_ctl", "pg_basebackup", "postgres")


def available() -> str | None:
    """None when the servers can be started here, else why not."""
    missing = [tool for tool in TOOLS if not (BIN / tool).exists()]
    if missing:
        return f"PostgreSQL binaries missing in {BIN}: {', '.join(missing)}"
    if os.geteuid() == 0 and not shutil.which("runuser"):
        return "running as root without runuser"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def migrations_key(kind: str) -> str:
    """``kind`` and a digest of every migration file: a template is used only with the schema it was made for."""
    digest = hashlib.blake2b(digest_size=8)
    for path in sorted(ROOT.glob("**/migrations/*.py")):
        if ".venv" not in path.parts and "node_modules" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode() + path.read_bytes())
    return f"{kind}-{digest.hexdigest()}"


def _as_owner(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


SETTINGS = """
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = '{sockets}'
wal_level = replica
max_wal_senders = 5
wal_keep_size = '256MB'
hot_standby = on
hot_standby_feedback = on
max_connections = 60
shared_buffers = '64MB'
fsync = off
autovacuum = off
full_page_writes = off
log_min_messages = warning
"""
# autovacuum off: the benches count the rows each server reads, and nothing but the pages may read them (the
# bench runs VACUUM ANALYZE itself first).


class Pair:
    """A primary and a replica streaming from it; ``stop()`` removes both."""

    def __init__(self, database: str = "alliance"):
        self.database = database
        self.root = Path(tempfile.mkdtemp(prefix="alliance-replica-"))
        self.primary_dir, self.replica_dir = self.root / "primary", self.root / "replica"
        self.primary_port, self.replica_port = free_port(), free_port()
        self.root.chmod(0o755)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")

    # Commands --------------------------------------------------------------------------------------------

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            _as_owner([str(BIN / args[0]), *args[1:]]), check=check, text=True, capture_output=True, cwd=self.root
        )

    def pg_ctl(self, directory: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return self.run("pg_ctl", "-D", str(directory), "-l", str(directory.with_suffix(".log")), *args, check=check)

    def url(self, port: int, database: str | None = None) -> str:
        return f"postgres://postgres@127.0.0.1:{port}/{database or self.database}"

    @property
    def primary_url(self) -> str:
        return self.url(self.primary_port)

    @property
    def replica_url(self) -> str:
        return self.url(self.replica_port)

    def sql(self, port: int, statement: str, database: str | None = None):
        """One statement in autocommit on the server at ``port``; its first row, if any."""
        import psycopg2

        conn = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname=database or self.database)
        conn.autocommit = True
        try:
            with conn.cursor() as cursor:
                cursor.execute(statement)
                return cursor.fetchone() if cursor.description else None
        finally:
            conn.close()

    # Life ------------------------------------------------------------------------------------------------

    def start(self, *, key: str | None = None, prepare=None) -> Pair:
        """Start the primary (a copy of template ``key`` if kept, else initdb, a database and ``prepare(self)``,
        kept as ``key``), then the replica from a base backup of it."""
        template = TEMPLATES / key if key else None
        if template is not None and (template / "PG_VERSION").exists():
            subprocess.run(["cp", "-a", str(template), str(self.primary_dir)], check=True)
            (self.primary_dir / "postmaster.pid").unlink(missing_ok=True)
            self._configure_primary()
            self.pg_ctl(self.primary_dir, "-w", "start")
        else:
            self.run(
                "initdb",
                "-D",
                str(self.primary_dir),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            )
            with (self.primary_dir / "pg_hba.conf").open("a") as hba:
                hba.write("host replication all 127.0.0.1/32 trust\n")
            self._configure_primary()
            self.pg_ctl(self.primary_dir, "-w", "start")
            self.sql(self.primary_port, f'CREATE DATABASE "{self.database}"', database="postgres")
            if prepare is not None:
                prepare(self)
            if template is not None:
                self.pg_ctl(self.primary_dir, "-m", "fast", "-w", "stop")
                TEMPLATES.mkdir(exist_ok=True)
                partial = template.with_suffix(".partial")
                shutil.rmtree(partial, ignore_errors=True)
                subprocess.run(["cp", "-a", str(self.primary_dir), str(partial)], check=True)
                partial.rename(template)
                self.pg_ctl(self.primary_dir, "-w", "start")
        self.run(
            "pg_basebackup", "-h", "127.0.0.1", "-p", str(self.primary_port), "-U", "postgres",
            "-D", str(self.replica_dir), "-R", "-X", "stream", "-c", "fast",
        )  # fmt: skip
        with (self.replica_dir / "postgresql.conf").open("a") as conf:
            conf.write(f"port = {self.replica_port}\n")
        self.start_replica()
        return self

    def _configure_primary(self) -> None:
        # Appended: the last setting wins, so a copied template takes this pair's port and socket directory.
        with (self.primary_dir / "postgresql.conf").open("a") as conf:
            conf.write(SETTINGS.format(port=self.primary_port, sockets=self.root))

    def start_replica(self) -> None:
        self.pg_ctl(self.replica_dir, "-w", "start")
        self.wait_caught_up()

    def stop_replica(self) -> None:
        """Killed, as a crash would (immediate: no shutdown checkpoint)."""
        self.pg_ctl(self.replica_dir, "-m", "immediate", "stop")

    def pause_replay(self) -> None:
        self.sql(self.replica_port, "SELECT pg_wal_replay_pause()")

    def resume_replay(self) -> None:
        self.sql(self.replica_port, "SELECT pg_wal_replay_resume()")
        self.wait_caught_up()

    def wait_caught_up(self, timeout: float = 120) -> None:
        """Until the replica answers and has replayed everything the primary has written so far."""
        target = self.sql(self.primary_port, "SELECT pg_current_wal_lsn()::text")[0]
        deadline = time.monotonic() + timeout
        while True:
            with contextlib.suppress(Exception):
                done = self.sql(self.replica_port, f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn")[0]
                if done:
                    return
            if time.monotonic() > deadline:
                raise RuntimeError(f"the replica did not catch up within {timeout:.0f}s; see {self.root}")
            time.sleep(0.2)

    def stop(self) -> None:
        for directory in (self.replica_dir, self.primary_dir):
            if (directory / "postmaster.pid").exists():
                self.pg_ctl(directory, "-m", "immediate", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)
