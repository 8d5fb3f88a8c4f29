"""The to-do page's time limits are the lists' and the reminder jobs' (services.deadlines, services.workdays):
a row counts as past its limit exactly when ``add_working_days(start, n) <= now``, holidays and 调休 included."""

import datetime
import zoneinfo

import pytest

from services import todo
from services.deadlines import overdue_q
from services.models import Holiday, Order
from services.workdays import WorkCalendar, add_working_days
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
            calendar = WorkCalendar(datetime.date.min, datetime.date.max)
            in_db = Order.objects.filter(overdue_q("submitted_at", days, now, calendar), pk=order.pk).exists()
            assert in_db == (add_working_days(start, days) <= now), (days, start, now)
            start += datetime.timedelta(hours=7)


def test_the_countdown_says_how_long_is_left_or_how_late_it_is(db, resident):
    now = datetime.datetime(2026, 10, 14, 10, 0, tzinfo=SHANGHAI)  # a Wednesday
    starts = [
        now - datetime.timedelta(days=1, hours=1),  # Tuesday 9:00: due Wednesday 9:00, an hour ago
        now - datetime.timedelta(days=6),  # the Thursday before: due Friday 10:00
        now - datetime.timedelta(hours=1),  # due Thursday 9:00
    ]
    orders = [OrderFactory(resident=resident, submitted_at=start) for start in starts]
    line = next(line for line in todo.LINES if line.key == "orders_to_accept")

    notes = line.limit.notes(orders, now)

    assert [late for _text, late in notes] == [True, True, False]
    assert notes[0][0] == "已超时1小时"
    assert notes[1][0].startswith("已超时5天")
    assert notes[2][0] == "还剩23小时"
