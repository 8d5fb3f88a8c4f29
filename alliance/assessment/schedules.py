"""Periodic jobs of the assessment (registered in django-celery-beat after migrate)."""

DEFAULT_SCHEDULES = [
    {
        "name": "微网格季度评星（草稿）",
        "task": "assessment.compute_grid_stars",
        "crontab": {"minute": "30", "hour": "2", "day_of_month": "1", "month_of_year": "1,4,7,10"},
        "description": "每季度第一天计算各街道上季度微网格星级草稿，街道管理员核对后发布；已发布的不再改变。",
    },
]
