"""The web process (alliance.wsgi) loads every view before its first request and keeps what it loaded out of the
garbage collector's full collections: a worker no longer pauses to walk its own code every few hundred requests."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CODE = """
import gc, json, sys
import alliance.wsgi
from django.urls import resolve
before = set(sys.modules)
match = resolve("/admin/services/order/")
print(json.dumps({"frozen": gc.get_freeze_count(), "tracked": len(gc.get_objects()),
                  "imported_by_first_resolve": sorted(set(sys.modules) - before), "view": match.view_name}))
"""


def test_the_web_process_loads_its_views_first_and_freezes_them():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "alliance.settings"}
    out = subprocess.run([sys.executable, "-c", CODE], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["view"] == "admin:services_order_changelist"
    assert seen["imported_by_first_resolve"] == []  # the URLconf and its views came with the application
    # What Django and the project loaded sits outside the collector's generations; what is left to walk is small.
    assert seen["frozen"] > 100_000
    assert seen["tracked"] < seen["frozen"] / 5
