import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env_overrides):
    # Browser tests allow async-unsafe calls in this process; a deployment never does.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        PRODUCTION="1",
        DEBUG="0",
        SECRET_KEY="k" * 20 + "-a-long-random-production-secret-8f3c1e9d7b",
        ALLOWED_HOSTS="alliance.example.org",
        DATA_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_manage(
        "check", PRODUCTION="1", ALLOWED_HOSTS="alliance.example.org", SECRET_KEY="", DATA_DIR=str(tmp_path)
    )
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_a_bad_boolean_setting_is_rejected_loudly(tmp_path):
    result = run_manage("check", DEBUG="maybe", DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr
