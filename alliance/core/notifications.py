"""Sending notifications: one call for every reminder of every app.

``notify`` writes one row per recipient and key, inside the caller's transaction; a second
call with the same key for the same person does nothing and returns None, so a job that
runs twice, or is retried, sends nothing twice.

The row is the in-app message (the inbox, always on). For each further channel the person
chose (e-mail, SMS, WeChat: ``NotificationPreference``) one ``NotificationDelivery`` is written
in the same transaction, pending. After commit each delivery is handed to the broker; the
periodic sweep ``send_due_deliveries`` sends whatever is due, so a delivery is never lost when
the broker is down. ``deliver`` sends one delivery under a row lock (sent once even when the
task and the sweep meet), holds SMS/WeChat during quiet hours, and retries failures with a
doubling delay up to ``NotificationSettings.max_attempts``.
"""

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.core.enqueue import task_named
from alliance.core.inputs import clean_line
from alliance.core.models import (
    Channel,
    Notification,
    NotificationDelivery,
    NotificationPreference,
    NotificationSettings,
)
from alliance.core.senders import PermanentSendError, get_sender, message_kind

log = logging.getLogger(__name__)

HELD_CHANNELS = (Channel.SMS, Channel.WECHAT)
MISSING_ADDRESS: dict[str, str] = {
    Channel.EMAIL: "未填写电子邮箱",
    Channel.SMS: "未填写手机号码",
    Channel.WECHAT: "未绑定微信",
}


def notify(*, recipient, key: str, title: str, body: str = "", url: str = "") -> Notification | None:
    """Record a notification once per (recipient, key); returns None if it was already sent."""
    if recipient is None:
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                key=key[:120],
                title=clean_line(title)[:200],  # one line: an e-mail subject refuses line breaks
                body=body,
                url=url[:300],
                status=Notification.Status.SENT,
                attempts=1,
                sent_at=timezone.now(),
            )
            pending = _create_deliveries(notification, recipient)
    except IntegrityError:
        return None
    if pending:
        transaction.on_commit(lambda: enqueue(pending))
    return notification


def notify_many(*, recipients, key: str, title: str, body: str = "", url: str = "") -> int:
    """``notify`` for each recipient; returns how many were new."""
    return sum(
        1
        for r in {r.pk: r for r in recipients if r is not None}.values()
        if notify(recipient=r, key=key, title=title, body=body, url=url)
    )


def _address(channel: str, user, preference: NotificationPreference) -> str:
    if channel == Channel.EMAIL:
        return user.email or ""
    if channel == Channel.SMS:
        return user.phone or ""
    return preference.wechat_openid


def _create_deliveries(notification: Notification, recipient) -> list[int]:
    """One delivery per chosen channel; the ids of those pending (none without a preference: 1 query)."""
    preference = NotificationPreference.objects.filter(user_id=recipient.pk).first()
    if preference is None or not preference.channels():
        return []
    now = timezone.now()
    rows = []
    for channel in preference.channels():
        address = _address(channel, recipient, preference)
        rows.append(
            NotificationDelivery(
                notification=notification,
                channel=channel,
                address=address,
                status=NotificationDelivery.Status.PENDING if address else NotificationDelivery.Status.FAILED,
                last_error="" if address else MISSING_ADDRESS[channel],
                next_attempt_at=now if address else None,
            )
        )
    NotificationDelivery.objects.bulk_create(rows)
    return [d.pk for d in rows if d.status == NotificationDelivery.Status.PENDING]


def enqueue(delivery_ids: list[int]) -> None:
    """Hand deliveries to the broker; if it is down, the periodic sweep sends them later."""
    send_delivery_task = task_named("services.send_delivery")  # by name: the tasks module imports this one
    for pk in delivery_ids:
        try:
            send_delivery_task.apply_async((pk,), retry=False)
        except Exception:  # the broker is down: the sweep will find the delivery due
            log.warning("notification delivery %s: broker unavailable, left to the sweep", pk, exc_info=True)
            return


def quiet_until(now: datetime.datetime, start: datetime.time | None, end: datetime.time | None):
    """The end of the quiet hours ``now`` falls in (local time), or None outside them."""
    if start is None or end is None or start == end:
        return None
    local = timezone.localtime(now)
    t = local.time()
    today_end = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if start < end:
        return today_end if start <= t < end else None
    if t >= start:
        return today_end + datetime.timedelta(days=1)
    if t < end:
        return today_end
    return None


def _quiet_hours(delivery: NotificationDelivery, conf: NotificationSettings):
    pref = NotificationPreference.objects.filter(user_id=delivery.notification.recipient_id).first()
    if pref is not None and pref.quiet_start is not None and pref.quiet_end is not None:
        return pref.quiet_start, pref.quiet_end
    return conf.quiet_start, conf.quiet_end


def deliver(delivery_id: int, *, now: datetime.datetime | None = None) -> str:
    """Send one delivery if it is due; returns what happened (sent, held, retry, failed, skipped)."""
    now = now or timezone.now()
    conf = NotificationSettings.load()
    with transaction.atomic():
        delivery = (
            NotificationDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("notification")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status != NotificationDelivery.Status.PENDING:
            return "skipped"  # being sent by another worker, or done already
        if delivery.next_attempt_at and delivery.next_attempt_at > now:
            return "skipped"
        if delivery.channel in HELD_CHANNELS:
            held = quiet_until(now, *_quiet_hours(delivery, conf))
            if held is not None:
                delivery.next_attempt_at = held
                delivery.save(update_fields=["next_attempt_at"])
                return "held"
        note = delivery.notification
        delivery.attempts += 1
        fields = ["attempts", "status", "last_error", "next_attempt_at", "sent_at"]
        try:
            message_id = get_sender(delivery.channel).send(
                address=delivery.address, title=note.title, body=note.body, url=note.url, kind=message_kind(note.key)
            )
        except Exception as exc:  # noqa: BLE001 - any failure of the sender is recorded, never raised
            delivery.last_error = f"{type(exc).__name__}: {exc}"[:500]
            if isinstance(exc, PermanentSendError) or delivery.attempts >= conf.max_attempts:
                delivery.status = NotificationDelivery.Status.FAILED
                delivery.next_attempt_at = None
                outcome = "failed"
            else:
                delay = conf.retry_minutes * 2 ** (delivery.attempts - 1)
                delivery.next_attempt_at = now + datetime.timedelta(minutes=delay)
                outcome = "retry"
            log.warning("notification delivery %s (%s): %s", delivery.pk, delivery.channel, delivery.last_error)
        else:
            delivery.status = NotificationDelivery.Status.SENT
            delivery.sent_at = now
            delivery.last_error = ""
            delivery.next_attempt_at = None
            delivery.provider_message_id = str(message_id or "")[:100]
            fields.append("provider_message_id")
            outcome = "sent"
        delivery.save(update_fields=fields)
    return outcome


def send_due_deliveries(*, now: datetime.datetime | None = None, limit: int = 500) -> dict:
    """The sweep: send every pending delivery whose time has come; returns counts per outcome."""
    now = now or timezone.now()
    due = list(
        NotificationDelivery.objects.filter(status=NotificationDelivery.Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return deliver_each(due, now=now)


def deliver_each(delivery_ids, *, now: datetime.datetime) -> dict:
    """``deliver`` each of ``delivery_ids`` in turn; returns counts per outcome."""
    counts: dict[str, int] = {}
    for pk in delivery_ids:
        outcome = deliver(pk, now=now)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def save_preferences(*, by, email_address: str, **choices) -> NotificationPreference:
    """The signed-in person's own channels and quiet hours (and the e-mail address they are sent to)."""
    if not by.is_authenticated:
        raise PermissionDenied(_("请先登录。"))
    if choices.get("email") and not email_address:
        raise ValidationError({"email_address": _("选择电子邮件接收时请填写邮箱地址。")})
    if choices.get("sms") and not by.phone:
        raise ValidationError({"sms": _("账号未登记手机号码，无法接收短信。")})
    with transaction.atomic():
        preference, _created = NotificationPreference.objects.select_for_update().get_or_create(user=by)
        for field, value in choices.items():
            setattr(preference, field, value)
        preference.full_clean()
        preference.save()
        if by.email != email_address:
            by.email = email_address
            by.save(update_fields=["email"])
    return preference
