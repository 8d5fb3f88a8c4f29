"""Senders of notifications through channels other than the inbox.

E-mail goes through Django's e-mail backend (``settings.EMAIL_BACKEND``). SMS and WeChat go through
a class named in settings (``SMS_SENDER``, ``WECHAT_SENDER``): anything with
``send(*, address, title, body, url, kind, params)`` that raises on failure and may return the
provider's id of the message (kept on the delivery for its receipt). ``kind`` names the kind of
message ("order:remind", "code:register": the provider's template is chosen by it) and ``params``
holds values a template may need besides the title, body and link. The default, ``ConsoleSender``,
writes the message to the log; the providers' senders are in ``alliance.core.channels``. A sender
raising ``PermanentSendError`` is not retried.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from alliance.core.inputs import clean_line

log = logging.getLogger("alliance.core.senders")


class PermanentSendError(Exception):
    """The message can never be sent this way (no address, rejected number): do not retry."""


class ConsoleSender:
    """Writes each message to the log instead of sending it (the default for SMS and WeChat)."""

    def __init__(self, channel: str):
        self.channel = channel

    def send(
        self, *, address: str, title: str, body: str = "", url: str = "", kind: str = "", params=None
    ) -> str | None:
        log.info("[%s → %s] %s %s %s", self.channel, address, title, body, url)
        return None


class EmailSender:
    """E-mail through Django's configured backend."""

    def __init__(self, channel: str = "email"):
        self.channel = channel

    def send(
        self, *, address: str, title: str, body: str = "", url: str = "", kind: str = "", params=None
    ) -> str | None:
        text = body
        if url:
            site = getattr(settings, "SITE_URL", "").rstrip("/")
            text = f"{body}\n\n{site}{url}" if body else f"{site}{url}"
        # A subject is one line (Django refuses a header with a line break): whatever title was stored.
        send_mail(clean_line(title), text, None, [address], fail_silently=False)
        return None


def get_sender(channel: str):
    """The sender of a channel, built from the class named in settings."""
    if channel == "email":
        return EmailSender()
    path = {"sms": "SMS_SENDER", "wechat": "WECHAT_SENDER"}[channel]
    return import_string(getattr(settings, path, "alliance.core.senders.ConsoleSender"))(channel)


def message_kind(key: str) -> str:
    """The kind of a notification: its key without the ids ("order:42:remind" → "order:remind")."""
    return ":".join(part for part in key.split(":") if part and not part.isdigit())
