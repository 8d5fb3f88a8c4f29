"""A Celery worker for the fault tests: the production app, but tasks left unacknowledged by a dead
worker are restored after VISIBILITY_TIMEOUT seconds (production: the broker's hour).

Usage: python tests/faults/worker.py -n name@%h
"""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")

import django

django.setup()

from alliance.celery import app  # noqa: E402

app.conf.broker_transport_options = {
    **(app.conf.broker_transport_options or {}),
    "visibility_timeout": float(os.environ.get("VISIBILITY_TIMEOUT", "2")),
    "unacked_restore_interval": 0.5,
    "unacked_restore_throttle": 1,
}
app.worker_main(
    ["worker", "--pool=solo", "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    + sys.argv[1:]
)
