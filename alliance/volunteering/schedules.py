"""Periodic jobs of dual reporting (registered in django-celery-beat after migrate)."""

DEFAULT_SCHEDULES = [
    {
        "name": "双报到党员本季度无服务提醒",
        "task": "volunteering.remind_idle_members",
        "crontab": {"minute": "0", "hour": "9", "day_of_month": "1", "month_of_year": "2,3,5,6,8,9,11,12"},
        "description": "已报到、本季度还没有服务记录的党员，每季度提醒一次。",
    },
    {
        "name": "双报到超期未确认提醒",
        "task": "volunteering.remind_waiting_reports",
        "crontab": {"minute": "30", "hour": "9", "day_of_week": "1"},
        "description": "有双报到超过7天未确认的社区，每周一提醒该社区管理员一次。",
    },
]
