"""The fan-out bench's settings (tests/bench/fanout.py): the project's, with the sends of a fan-out's deliveries
routed to a queue no bench worker reads. The figure is the writing of inbox rows and deliveries; the sends, queued
behind the batches, would otherwise run beside the last batches with two processes and never with one."""

from alliance.settings import *  # noqa: F403 - the project's settings, one route added
from tests.bench.fanout import HELD

CELERY_TASK_ROUTES = {"core.send_broadcast_batch": {"queue": HELD}}
