"""Periodic jobs of residents' services (registered in django-celery-beat after migrate)."""

DEFAULT_SCHEDULES = [
    {
        "name": "居民点单超时提醒与上报",
        "task": "services.remind_unaccepted_orders",
        "every_seconds": 1800,
        "description": "点单超过时限无人接单:提醒提供同类服务的单位,再上报社区管理员。",
    },
    {
        "name": "居民说事超时自动上报",
        "task": "services.escalate_overdue_issues",
        "crontab": {"minute": "15", "hour": "*/2"},
        "description": "事项在某一环节超过时限(工作日)未办结,自动上报上一级网格。",
    },
    {
        "name": "活动前一天提醒",
        "task": "services.remind_activities_day_before",
        "crontab": {"minute": "0", "hour": "18"},
        "description": "提醒已报名的居民和党员明天参加活动。",
    },
    {
        "name": "消息补发(邮件、短信、微信)",
        "task": "services.send_due_notifications",
        "every_seconds": 60,
        "description": "发送到期的消息投递:免打扰结束后的短信和微信、失败后的重试、消息队列中断时遗留的投递。",
    },
    {
        # The record of job runs (alliance.core.job_runs) is kept here with the sweep that writes most of it.
        "name": "清理过期的任务运行记录",
        "task": "alliance.prune_job_runs",
        "crontab": {"minute": "30", "hour": "3"},
        "description": "删除30天前的定时任务运行记录。",
    },
]
