"""The to-do page's time limits agree with the reminder jobs' working-day arithmetic (services.workdays):
a row counts as past its limit exactly when ``add_working_days(start, n) <= now``, holidays and 调休 included."""

import datetime
import zoneinfo

import pytest

from services.models import Holiday, Order
from services.workdays import add_working_days, countdowns, overdue_q
from tests.services.factories import OrderFactory

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize("days", [0, 1, 2, 5])
def test_past_the_limit_in_the_database_is_past_it_by_the_calendar(days, resident):
    # A holiday on a Wednesday and a working Sunday (调休), around two weeks of starts every seven hours.
    Holiday.objects.create(date=datetime.date(2026, 9, 30), name="国庆前")
    Holiday.objects.create(date=datetime.date(2026, 10, 11), name="调休上班", is_workday=True)
    order = OrderFactory(resident=resident)
    nows = [
        datetime.datetime(2026, 10, 12, 9, 30, tzinfo=SHANGHAI),  # a Monday morning
        datetime.datetime(2026, 10, 11, 18, 0, tzinfo=SHANGHAI),  # the working Sunday
        datetime.datetime(2026, 10, 10, 12, 0, tzinfo=SHANGHAI),  # a Saturday
    ]
    for now in nows:
        start = datetime.datetime(2026, 9, 24, 0, 10, tzinfo=SHANGHAI)
        while start < now:
            Order.objects.filter(pk=order.pk).update(submitted_at=start)
            in_db = Order.objects.filter(overdue_q("submitted_at", days, now), pk=order.pk).exists()
            assert in_db == (add_working_days(start, days) <= now), (days, start, now)
            start += datetime.timedelta(hours=7)


def test_the_countdown_says_how_long_is_left_or_how_late_it_is(db):
    now = datetime.datetime(2026, 10, 14, 10, 0, tzinfo=SHANGHAI)  # a Wednesday
    starts = [
        now - datetime.timedelta(days=1, hours=1),  # Tuesday 9:00: due Wednesday 9:00, passed
        now - datetime.timedelta(days=6),  # the Thursday before: due Friday, 3 working days late
        now - datetime.timedelta(hours=1),  # due Thursday 9:00
        None,
    ]

    assert countdowns(starts, 1, now) == [
        ("已超时", True),
        ("已超时3个工作日", True),
        ("剩余1个工作日", False),
        ("", False),
    ]
