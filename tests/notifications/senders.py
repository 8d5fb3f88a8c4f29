"""Senders for the tests: one that records what it sends, one that always fails."""


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
