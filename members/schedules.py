"""Periodic jobs of the members app, registered in django-celery-beat after migrate."""

DEFAULT_SCHEDULES = [
    {
        "name": "结对共建：到期前提醒",
        "task": "members.remind_expiring_pairings",
        "crontab": {"minute": "20", "hour": "9"},
    },
    {"name": "结对共建：期满到期", "task": "members.expire_pairings", "crontab": {"minute": "5", "hour": "0"}},
]
