"""Senders for the tests: one that records what it sends, one that always fails."""

import json
import os


class RecordingSender:
    sent: list = []

    def __init__(self, channel):
        self.channel = channel

    def send(self, *, address, title, body="", url="", kind="", params=None):
        RecordingSender.sent.append((self.channel, address, title))


class FailingSender:
    def __init__(self, channel):
        self.channel = channel

    def send(self, *, address, title, body="", url="", kind="", params=None):
        raise ConnectionError("短信网关无响应")


class FileRecordingSender:
    """Records each message as a JSON line in the file named by ``RECORDING_SENDER_FILE``: a worker process
    (tests/conftest.py celery_worker) sends, the test reads what went out."""

    def __init__(self, channel):
        self.channel = channel

    def send(self, *, address, title, body="", url="", kind="", params=None):
        line = json.dumps({"channel": self.channel, "address": address, "title": title, "body": body, "url": url})
        with open(os.environ["RECORDING_SENDER_FILE"], "a", encoding="utf-8") as out:
            out.write(line + "\n")

    @staticmethod
    def read(path) -> list[dict]:
        try:
            with open(path, encoding="utf-8") as lines:
                return [json.loads(line) for line in lines if line.strip()]
        except FileNotFoundError:
            return []
