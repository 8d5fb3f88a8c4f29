"""The kernel's Celery tasks: one notification delivery after commit, and the sweep that sends whatever is due.

Their names keep the ``services.`` prefix they were registered under before notifications moved into the kernel:
beat schedules in the database and queued messages name them.
"""

from celery import shared_task
from django.utils.dateparse import parse_datetime

from alliance.core import notifications
from alliance.core.channels import receipts


@shared_task(name="services.send_delivery")
def send_delivery_task(delivery_id: int) -> str:
    return notifications.deliver(delivery_id)


@shared_task(name="services.send_due_notifications")
def send_due_notifications_task(now: str | None = None) -> dict:
    # ``now`` (ISO 8601) lets an operator or a test run the sweep as of another moment.
    return notifications.send_due_deliveries(now=parse_datetime(now) if now else None)


@shared_task(name="core.query_sms_receipts")
def query_sms_receipts_task() -> dict:
    return receipts.query_sms_receipts()
