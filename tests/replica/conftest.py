"""One private primary and its streaming replica per module (tests/replica/cluster.py), migrated and seeded
with the demo district; skipped where the PostgreSQL server binaries are missing."""

import json
import os
import subprocess
import sys

import pytest

from tests.replica import cluster


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=cluster.ROOT, env=env, check=True, capture_output=True)


def base_env(pair: cluster.Pair) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DATABASE_URL=pair.primary_url,
        REPLICA_DATABASE_URL=pair.replica_url,
        DJANGO_SETTINGS_MODULE="alliance.settings",
        AXES_ENABLED="0",
        PG_CTL=str(cluster.BIN / "pg_ctl"),
        REPLICA_DATA_DIR=str(pair.replica_dir),
    )
    return env


def prepare_demo(pair: cluster.Pair) -> None:
    env = {**base_env(pair), "REPLICA_DATABASE_URL": ""}
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "seed_demo")


@pytest.fixture(scope="module")
def pair():
    reason = cluster.available()
    if reason:
        pytest.skip(reason)
    pair = cluster.Pair()
    try:
        pair.start(key=cluster.migrations_key("demo"), prepare=prepare_demo)
        # Migrate on the primary (nothing to do when the kept template is current); the replica follows.
        manage({**base_env(pair), "REPLICA_DATABASE_URL": ""}, "migrate", "--noinput", "--verbosity", "0")
        pair.wait_caught_up()
        yield pair
    finally:
        pair.stop()


@pytest.fixture
def scenario(pair):
    """Run ``tests/replica/scenarios.py <name>`` against the pair; its result as a dict."""

    def run(name: str, **settings) -> dict:
        env = base_env(pair)
        env.update(REPLICA_CHECK_INTERVAL="0", REPLICA_MAX_LAG="2", REPLICA_PIN_SECONDS="3")
        env.update({k: str(v) for k, v in settings.items()})
        done = subprocess.run(
            [sys.executable, "-m", "tests.replica.scenarios", name],
            cwd=cluster.ROOT,
            env=env,
            text=True,
            capture_output=True,
            timeout=600,
        )
        lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
        assert done.returncode == 0 and lines, f"scenario {name} failed:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}"
        return json.loads(lines[-1][len("RESULT ") :])

    return run
