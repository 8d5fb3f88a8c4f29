"""Beat schedules in plain Chinese (alliance.core.schedule_text), as street admins read them in the admin."""

import pytest
from django_celery_beat.models import CrontabSchedule, IntervalSchedule

from alliance.core.schedule_text import describe


@pytest.mark.parametrize(
    ("minute", "hour", "day_of_week", "day_of_month", "month_of_year", "text"),
    [
        ("0", "9", "*", "25", "*", "每月25日 09:00"),
        ("0", "4", "*", "*", "*", "每天 04:00"),
        ("*/30", "*", "*", "*", "*", "每30分钟"),
        ("15", "*/2", "*", "*", "*", "每2小时（第15分）"),
        ("0", "9", "1-5", "*", "*", "每周一至五 09:00"),
        ("0", "8", "*", "1", "1,7", "每年1月、7月1日 08:00"),
        ("30", "8,12", "*", "*", "*", "每天 08:30、12:30"),
        ("0", "0", "1", "1", "1", "分 0 时 0 日 1 月 1 星期 1"),
    ],
)
def test_a_crontab_in_words(minute, hour, day_of_week, day_of_month, month_of_year, text):
    crontab = CrontabSchedule(
        minute=minute,
        hour=hour,
        day_of_week=day_of_week,
        day_of_month=day_of_month,
        month_of_year=month_of_year,
        timezone="Asia/Shanghai",
    )
    assert describe(crontab) == text
    assert str(crontab) == text  # titles and choices in the admin


@pytest.mark.parametrize(
    ("every", "period", "text"),
    [(30, "minutes", "每30分钟"), (1800, "seconds", "每30分钟"), (60, "seconds", "每分钟"), (45, "seconds", "每45秒")],
)
def test_an_interval_in_words(every, period, text):
    assert describe(IntervalSchedule(every=every, period=period)) == text
