"""Periodic jobs of residents' services (registered in django-celery-beat after migrate).

Names and descriptions are stored in Chinese (the rows are found by name); marked so the catalogue has them."""

from django.utils.translation import gettext_noop

DEFAULT_SCHEDULES = [
    {
        "name": gettext_noop("居民点单超时提醒与上报"),
        "task": "services.remind_unaccepted_orders",
        "every_seconds": 1800,
        "description": gettext_noop("点单超过时限无人接单：提醒提供同类服务的单位，再上报社区管理员。"),
    },
    {
        "name": gettext_noop("居民说事超时自动上报"),
        "task": "services.escalate_overdue_issues",
        "crontab": {"minute": "15", "hour": "*/2"},
        "description": gettext_noop("事项在某一环节超过时限（工作日）未办结，自动上报上一级网格。"),
    },
    {
        "name": gettext_noop("活动前一天提醒"),
        "task": "services.remind_activities_day_before",
        "crontab": {"minute": "0", "hour": "18"},
        "description": gettext_noop("提醒已报名的居民和党员明天参加活动。"),
    },
    {
        "name": gettext_noop("常态化下沉服务排期"),
        "task": "services.generate_recurring_occurrences",
        "crontab": {"minute": "30", "hour": "1"},
        "description": gettext_noop(
            "按常态化下沉服务的规则（如律师每月15日到服务点），生成未来30天的场次，居民可逐场报名。"
        ),
    },
]
