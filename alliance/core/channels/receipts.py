"""Delivery receipts: the provider says a message reached the phone, or did not.

Alibaba Cloud answers the status query (``AliyunSmsSender.receipt``, asked by the periodic job
``query_sms_receipts``) and can push receipts; Tencent Cloud pushes them. Either way the delivery is
found by the provider's message id kept when it was sent, and marked delivered (``delivered_at``) or
failed (with the provider's code). A receipt told twice changes nothing the second time.
"""

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from alliance.core.models import Channel, NotificationDelivery
from alliance.core.senders import get_sender

log = logging.getLogger(__name__)

RECEIPT_WINDOW = datetime.timedelta(days=2)  # the status query answers for the day sent; older ones are left


def apply_receipt(*, message_id: str, delivered: bool, error: str = "", now: datetime.datetime | None = None) -> int:
    """Mark the SMS delivery sent as ``message_id``; returns how many deliveries changed (0 or 1)."""
    if not message_id:
        return 0
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (
            NotificationDelivery.objects.select_for_update()
            .filter(
                channel=Channel.SMS,
                provider_message_id=message_id,
                status=NotificationDelivery.Status.SENT,
                delivered_at__isnull=True,
            )
            .first()
        )
        if delivery is None:
            return 0  # unknown, or told already
        if delivered:
            delivery.delivered_at = now
            delivery.save(update_fields=["delivered_at"])
        else:
            delivery.status = NotificationDelivery.Status.FAILED
            delivery.last_error = f"运营商回执：未送达（{error or '未知原因'}）"[:500]
            delivery.save(update_fields=["status", "last_error"])
    return 1


def query_sms_receipts(*, now: datetime.datetime | None = None, limit: int = 200) -> dict:
    """Ask the provider (when it answers status queries) for the receipts of recent SMS; counts per outcome."""
    now = now or timezone.now()
    sender = get_sender(Channel.SMS)
    if not hasattr(sender, "receipt"):
        return {}
    waiting = NotificationDelivery.objects.filter(
        channel=Channel.SMS,
        status=NotificationDelivery.Status.SENT,
        delivered_at__isnull=True,
        sent_at__gte=now - RECEIPT_WINDOW,
    ).exclude(provider_message_id="")
    counts = {"delivered": 0, "failed": 0, "waiting": 0, "error": 0}
    for pk, address, message_id, sent_at in waiting.order_by("sent_at").values_list(
        "pk", "address", "provider_message_id", "sent_at"
    )[:limit]:
        try:
            answer = sender.receipt(address=address, message_id=message_id, sent_at=sent_at)
        except Exception:  # one query failing leaves the others, and the next run asks again
            log.warning("SMS receipt of delivery %s not fetched", pk, exc_info=True)
            counts["error"] += 1
            continue
        if answer is None:
            counts["waiting"] += 1
            continue
        delivered, error = answer
        apply_receipt(message_id=message_id, delivered=delivered, error=error, now=now)
        counts["delivered" if delivered else "failed"] += 1
    return counts
