"""Periodic jobs of alliance.following: the digests of the follows (registered in django-celery-beat after
migrate; times are Asia/Shanghai, CELERY_TIMEZONE)."""

DEFAULT_SCHEDULES = [
    {
        "name": "关注动态每日推送",
        "task": "following.send_daily_digests",
        "crontab": {"minute": "0", "hour": "8"},
        "description": "每天8:00，把关注的社区、微网格前一天的新动态汇总成一封邮件或一条微信，发给选择每日推送的关注者；没有新动态不发送。",
    },
    {
        "name": "关注动态每周推送",
        "task": "following.send_weekly_digests",
        "crontab": {"minute": "0", "hour": "8", "day_of_week": "1"},
        "description": "每周一8:00，把关注的社区、微网格上一周的新动态汇总发给选择每周推送的关注者；没有新动态不发送。",
    },
]
