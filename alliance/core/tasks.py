"""The kernel's Celery tasks: one notification delivery after commit, and the sweep that sends whatever is due.

Their names keep the ``services.`` prefix they were registered under before notifications moved into the kernel:
beat schedules in the database and queued messages name them.
"""

from celery import shared_task
from django.utils.dateparse import parse_datetime

from alliance.core import events, export_jobs, fanout, notifications
from alliance.core.channels import receipts


@shared_task(name="services.send_delivery")
def send_delivery_task(delivery_id: int) -> str:
    return notifications.deliver(delivery_id)


@shared_task(name="services.send_due_notifications")
def send_due_notifications_task(now: str | None = None) -> dict:
    # ``now`` (ISO 8601) lets an operator or a test run the sweep as of another moment.
    return notifications.send_due_deliveries(now=parse_datetime(now) if now else None)


@shared_task(name="core.run_receiver")
def run_receiver_task(uid: str, label: str, pk: int, by_id: int | None, rest: dict) -> bool:
    """A receiver of a domain event declared ``in_worker`` (alliance.core.events), run here after the commit."""
    return events.run_in_worker(uid, label, pk, by_id, rest)


@shared_task(name="core.run_receivers")
def run_receivers_task(calls: list) -> int:
    """The calls the web process kept together (alliance.core.linger), each as ``core.run_receiver``; how many ran."""
    return events.run_all(calls)


# A big export may take longer than the default limit of ten minutes (about 1 ms a row, written as it comes).
@shared_task(name="core.run_export_job", time_limit=3600, soft_time_limit=3540)
def run_export_job_task(job_id: int) -> str:
    return export_jobs.run_job(job_id)


@shared_task(name="core.prune_export_jobs")
def prune_export_jobs_task() -> int:
    return export_jobs.prune_jobs()


@shared_task(name="core.sweep_export_jobs")
def sweep_export_jobs_task() -> dict:
    return export_jobs.sweep_jobs()


@shared_task(name="core.query_sms_receipts")
def query_sms_receipts_task() -> dict:
    return receipts.query_sms_receipts()


# The fan-out of one message to a whole area (alliance.core.fanout): the start splits the audience into batches,
# each batch is one task; the sweep starts what was never started and sends again batches lost with a worker.
@shared_task(name="core.start_broadcast")
def start_broadcast_task(broadcast_id: int) -> str:
    return fanout.start(broadcast_id)


@shared_task(name="core.run_broadcast_batch")
def run_broadcast_batch_task(batch_id: int) -> str:
    return fanout.run_batch(batch_id)


@shared_task(name="core.send_broadcast_batch")
def send_broadcast_batch_task(batch_id: int) -> dict:
    return fanout.send_batch(batch_id)


@shared_task(name="core.sweep_broadcasts")
def sweep_broadcasts_task() -> dict:
    return fanout.sweep()
