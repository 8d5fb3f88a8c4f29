"""Periodic jobs of the alliance app, registered by ``alliance.schedules``."""

DEFAULT_SCHEDULES: list[dict] = []
