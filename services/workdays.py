"""Working-day arithmetic with the holiday calendar the admin keeps (节假日日历)."""

import datetime

from django.utils import timezone

from services.models import Holiday


def _calendar(start: datetime.date, end: datetime.date) -> dict[datetime.date, bool]:
    """Dates in [start, end] the calendar overrides: True = a working day, False = a day off (one query)."""
    return dict(Holiday.objects.filter(date__range=(start, end)).values_list("date", "is_workday"))


def is_working_day(day: datetime.date, calendar: dict[datetime.date, bool] | None = None) -> bool:
    if calendar is None:
        calendar = _calendar(day, day)
    if day in calendar:
        return calendar[day]
    return day.weekday() < 5


class WorkCalendar:
    """The holiday calendar of a span of dates, read once (one query), for many sums of working days."""

    def __init__(self, first: datetime.date, last: datetime.date):
        self.first, self.last = first, last
        self.days = _calendar(first, last)

    @classmethod
    def for_sums(cls, first: datetime.date, last: datetime.date, days: int) -> "WorkCalendar":
        """Enough of the calendar to add up to ``days`` working days to any date in [first, last]."""
        # Long holidays (Spring Festival) are at most ~9 days; 3x + 15 calendar days always suffices.
        return cls(first, last + datetime.timedelta(days=days * 3 + 15))

    def covers(self, first: datetime.date, last: datetime.date) -> bool:
        return self.first <= first and last <= self.last

    def add(self, start: datetime.datetime, days: int) -> datetime.datetime:
        """The moment ``days`` working days after ``start`` (same local time of day)."""
        local = timezone.localtime(start)
        day = local.date()
        remaining = days
        while remaining > 0:
            day += datetime.timedelta(days=1)
            if is_working_day(day, self.days):
                remaining -= 1
        return local.replace(year=day.year, month=day.month, day=day.day)


def add_working_days(start: datetime.datetime, days: int, calendar: WorkCalendar | None = None) -> datetime.datetime:
    """The moment ``days`` working days after ``start`` (same local time of day); ``calendar`` saves the query."""
    day = timezone.localtime(start).date()
    if calendar is None or not calendar.covers(day, day + datetime.timedelta(days=days * 3 + 15)):
        calendar = WorkCalendar.for_sums(day, day, days)
    return calendar.add(start, days)


def working_days_between(
    start: datetime.datetime, end: datetime.datetime, calendar: dict[datetime.date, bool] | None = None
) -> int:
    """Whole working days from ``start`` to ``end`` (0 if ``end`` is not later)."""
    first, last = timezone.localtime(start).date(), timezone.localtime(end).date()
    if last <= first:
        return 0
    if calendar is None:
        calendar = _calendar(first, last)
    count = 0
    day = first
    while day < last:
        day += datetime.timedelta(days=1)
        if is_working_day(day, calendar):
            count += 1
    return count
