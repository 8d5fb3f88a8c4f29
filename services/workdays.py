"""Working-day arithmetic with the holiday calendar the admin keeps (节假日日历)."""

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

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


def _span(days: int) -> datetime.timedelta:
    # Long holidays (Spring Festival) are at most ~9 days; 3x + 15 calendar days always hold ``days`` working days.
    return datetime.timedelta(days=days * 3 + 15)


def _working_days_back(day: datetime.date, count: int, calendar) -> list[datetime.date]:
    """The ``count`` latest working days on or before ``day``, latest first."""
    found = []
    while len(found) < count:
        if is_working_day(day, calendar):
            found.append(day)
        day -= datetime.timedelta(days=1)
    return found


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def overdue_q(field: str, days: int, now: datetime.datetime) -> Q:
    """Rows whose ``field`` plus ``days`` working days (``add_working_days``) is at or before ``now``, as one
    condition the database evaluates (one calendar query), so a list and its count agree with the reminders.

    ``add_working_days(s, n) <= now`` holds when fewer than ``n`` working days lie between the start's date and
    today (exclusive, inclusive) … precisely: when the start's date is before the n-th working day before today,
    or before the n-th working day up to today and its time of day is not later than now's."""
    if days <= 0:
        return Q(**{f"{field}__lte": now})
    local = timezone.localtime(now)
    today = local.date()
    calendar = _calendar(today - _span(days), today)
    up_to_today = _working_days_back(today, days, calendar)[-1]
    before_today = _working_days_back(today - datetime.timedelta(days=1), days, calendar)[-1]
    return Q(**{f"{field}__lt": _local_midnight(before_today)}) | Q(
        **{f"{field}__lt": _local_midnight(up_to_today), f"{field}__time__lte": local.time()}
    )


def countdowns(starts: list[datetime.datetime | None], days: int, now: datetime.datetime) -> list[tuple[str, bool]]:
    """For each start, the time left until ``days`` working days after it, in words, and whether it is past:
    「剩余2个工作日」, 「今日到期」, 「已超时3个工作日」 (one calendar query for all)."""
    known = [timezone.localtime(s).date() for s in starts if s is not None]
    if not known:
        return [("", False) for _ in starts]
    today = timezone.localtime(now).date()
    first, last = min([*known, today]), max([*known, today]) + _span(days)
    calendar = WorkCalendar(first, last)
    out: list[tuple[str, bool]] = []
    for start in starts:
        if start is None:
            out.append(("", False))
            continue
        due = add_working_days(start, days, calendar)
        if due <= now:
            late = working_days_between(due, now, calendar.days)
            out.append((_("已超时%(n)d个工作日") % {"n": late} if late else _("已超时"), True))
        else:
            left = working_days_between(now, due, calendar.days)
            out.append((_("剩余%(n)d个工作日") % {"n": left} if left else _("今日到期"), False))
    return out
