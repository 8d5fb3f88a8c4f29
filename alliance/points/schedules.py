"""Periodic jobs of points, rankings and stars (registered in django-celery-beat after migrate)."""

DEFAULT_SCHEDULES = [
    {
        "name": "发布上月党员积分排行",
        "task": "members.publish_monthly_rankings",
        "crontab": {"minute": "30", "hour": "1", "day_of_month": "1"},
        "description": "每月1日冻结并发布各街道上月党员积分排行（已发布的不再改变）。",
    },
    {
        "name": "双报到党员服务时长进度提醒",
        "task": "members.warn_behind_hours",
        "crontab": {"minute": "0", "hour": "9", "day_of_month": "1"},
        "description": "服务时长低于“年度目标 × 已过时间比例”的党员及其单位联络员，每人每月提醒一次。",
    },
    {
        "name": "月度星级评定",
        "task": "members.compute_star_ratings",
        "crontab": {"minute": "0", "hour": "2", "day_of_month": "1"},
        "description": "按评分、及时接单率和活跃度评定成员单位和党群服务阵地上月星级。",
    },
    {
        "name": "留存上月党群服务阵地公示",
        "task": "points.snapshot_wall",
        "crontab": {"minute": "30", "hour": "2", "day_of_month": "1"},
        "description": "每月1日留存各党群服务站的堡垒指数和各服务点党员的月度积分、先锋指数（每站每月一次，之后不再改变）。",
    },
]
