"""Periodic jobs of alliance.surveys (registered in django-celery-beat after migrate)."""

SELECTION_SCHEDULES = [
    {
        "name": "评选投票到期自动结束",
        "task": "surveys.close_expired_selections",
        "every_seconds": 300,
        "description": "投票截止时间已过的评选，每5分钟自动结束投票。",
    },
]

DEFAULT_SCHEDULES = [*SELECTION_SCHEDULES]
