"""Periodic jobs of the surveys (registered in django-celery-beat after migrate)."""

DEFAULT_SCHEDULES = [
    {
        "name": "问卷到期自动结束",
        "task": "surveys.close_due_surveys",
        "every_seconds": 300,
        "description": "过了截止时间的问卷自动结束；设为自动公布的，同时公布结果。",
    },
]
