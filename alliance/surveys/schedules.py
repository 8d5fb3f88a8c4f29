"""Periodic jobs of alliance.surveys (registered in django-celery-beat after migrate)."""

DEFAULT_SCHEDULES = [
    {
        "name": "问卷到期自动结束",
        "task": "surveys.close_due_surveys",
        "every_seconds": 300,
        "description": "过了截止时间的问卷自动结束；设为自动公布的，同时公布结果。",
    },
    {
        "name": "评选投票到期自动结束",
        "task": "surveys.close_expired_selections",
        "every_seconds": 300,
        "description": "投票截止时间已过的评选，每5分钟自动结束投票。",
    },
]
