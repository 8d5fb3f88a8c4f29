"""Sending notifications: one call for every reminder of every app.

``notify`` writes one row per recipient and key, inside the caller's transaction; a second
call with the same key for the same person does nothing and returns None, so a job that
runs twice, or is retried, sends nothing twice.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from services.models import Notification


def notify(*, recipient, key: str, title: str, body: str = "", url: str = "") -> Notification | None:
    """Record a notification once per (recipient, key); returns None if it was already sent."""
    if recipient is None:
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                key=key[:120],
                title=title[:200],
                body=body,
                url=url[:300],
                status=Notification.Status.SENT,
                attempts=1,
                sent_at=timezone.now(),
            )
    except IntegrityError:
        return None
    return notification


def notify_many(*, recipients, key: str, title: str, body: str = "", url: str = "") -> int:
    """``notify`` for each recipient; returns how many were new."""
    return sum(
        1
        for r in {r.pk: r for r in recipients if r is not None}.values()
        if notify(recipient=r, key=key, title=title, body=body, url=url)
    )
