"""A recording SMS sender for tests: the fixture ``sms`` (tests/conftest.py) installs it."""

import re


class RecordingSender:
    """An SMS sender that keeps what it was asked to send (settings.SMS_SENDER in these tests)."""

    sent: list = []

    def __init__(self, channel: str):
        self.channel = channel

    def send(self, *, address: str, title: str, body: str = "", url: str = "", kind: str = "", params=None) -> None:
        RecordingSender.sent.append(
            {"address": address, "title": title, "body": body, "url": url, "kind": kind, "params": params}
        )


def code_in(message: dict) -> str:
    found = re.search(r"\b(\d{6})\b", message["body"])
    assert found, message
    return found.group(1)
