"""One-time SMS codes for registration and password reset.

A 6-digit code, stored as an HMAC keyed with SECRET_KEY (never in clear), valid for
``SMS_CODE_TTL_MINUTES`` (10) and ``SMS_CODE_MAX_ATTEMPTS`` (5) wrong tries; only the newest code
of a number and purpose counts. New codes are limited per number (``SMS_CODE_PER_PHONE``, "5/h",
and one per ``SMS_CODE_INTERVAL_SECONDS``) and per client address (``SMS_CODE_PER_ADDRESS``, "20/h"),
counted in the database so the limits hold when the cache is down.
"""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from alliance.core.ratelimit import parse
from members.models import PhoneCode


class TooManyCodes(ValidationError):
    """A new code was asked for too often (429 on pages)."""


def _hash(phone: str, purpose: str, code: str) -> str:
    return salted_hmac("members.PhoneCode", f"{purpose}:{phone}:{code}", algorithm="sha256").hexdigest()


def _setting(name: str, default):
    return getattr(settings, name, default)


def throttle(*, phone: str, client_address: str, now: datetime.datetime) -> None:
    """Refuse a new code when this number or this address asked too often."""
    interval = _setting("SMS_CODE_INTERVAL_SECONDS", 60)
    last = PhoneCode.objects.filter(phone=phone).order_by("-created_at").values_list("created_at", flat=True).first()
    if interval and last and last > now - datetime.timedelta(seconds=interval):
        raise TooManyCodes(_("验证码发送过于频繁，请 %(n)d 秒后再试。") % {"n": interval})
    limit, period = parse(_setting("SMS_CODE_PER_PHONE", "5/h"))
    since = now - datetime.timedelta(seconds=period)
    if PhoneCode.objects.filter(phone=phone, created_at__gte=since).count() >= limit:
        raise TooManyCodes(_("该号码获取验证码的次数过多，请稍后再试。"))
    if client_address:
        limit, period = parse(_setting("SMS_CODE_PER_ADDRESS", "20/h"))
        since = now - datetime.timedelta(seconds=period)
        if PhoneCode.objects.filter(client_address=client_address, created_at__gte=since).count() >= limit:
            raise TooManyCodes(_("获取验证码的次数过多，请稍后再试。"))


@transaction.atomic
def issue(*, phone: str, purpose: str, client_address: str = "", now=None) -> str:
    """A new code for ``phone`` (after the limits); returns it in clear for the message."""
    now = now or timezone.now()
    throttle(phone=phone, client_address=client_address, now=now)
    code = f"{secrets.randbelow(10**6):06d}"
    PhoneCode.objects.create(
        phone=phone,
        purpose=purpose,
        code_hash=_hash(phone, purpose, code),
        client_address=client_address[:45],
        created_at=now,
        expires_at=now + datetime.timedelta(minutes=_setting("SMS_CODE_TTL_MINUTES", 10)),
    )
    return code


def check(*, phone: str, purpose: str, code: str, now=None) -> PhoneCode | None:
    """The newest live code of ``phone`` if ``code`` matches it; a wrong try is counted (and committed)."""
    now = now or timezone.now()
    code = (code or "").strip()
    with transaction.atomic():
        row = (
            PhoneCode.objects.select_for_update()
            .filter(phone=phone, purpose=purpose)
            .order_by("-created_at", "-pk")
            .first()
        )
        if row is None or row.used_at or row.expires_at <= now:
            return None
        if row.attempts >= _setting("SMS_CODE_MAX_ATTEMPTS", 5):
            return None
        if not (
            len(code) == 6 and code.isdigit() and constant_time_compare(row.code_hash, _hash(phone, purpose, code))
        ):
            row.attempts += 1
            row.save(update_fields=["attempts"])
            return None
        return row


def consume(row: PhoneCode, now=None) -> bool:
    """Mark the code used; False when another request used it first."""
    return bool(PhoneCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=now or timezone.now()))
