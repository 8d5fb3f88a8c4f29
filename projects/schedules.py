"""Periodic jobs of the three lists, registered in django-celery-beat after migrate."""

DEFAULT_SCHEDULES = [
    {"name": "三清单：夜间匹配", "task": "projects.match_all", "crontab": {"minute": "30", "hour": "2"}},
    {"name": "三清单：认领无进展提醒", "task": "projects.remind_stale_claims", "crontab": {"minute": "0", "hour": "9"}},
    {
        "name": "三清单：项目截止认领提醒",
        "task": "projects.remind_projects_near_deadline",
        "crontab": {"minute": "10", "hour": "9"},
    },
]
