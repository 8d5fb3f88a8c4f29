"""Time limits of orders and issues (ServiceSettings, in working days of the holiday calendar).

One function per model computes an item's deadline: ``order_deadline`` (a submitted order waits for a
unit to accept it, a served one for the community to confirm delivery: ``order_remind_days``) and
``issue_deadline`` (each step the escalation job watches: ``ServiceSettings.issue_limit``). The reminder
and escalation jobs, the workspace lists, the admin and the dispatch notices all use them; ``overdue_q``
turns the same sums into a condition on the start time, so a list sorts overdue first in SQL.
"""

import datetime
from dataclasses import dataclass

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils import timezone

from alliance.core.waiting import Waiting, waiting
from services.models import Issue, Order, ServiceSettings
from services.workdays import WorkCalendar, add_working_days

# The field each timed state of an order waits from.
ORDER_TIMED = {Order.Status.SUBMITTED: "submitted_at", Order.Status.SERVED: "served_at"}
# The steps of an issue the escalation job watches (feedback waits for the resident, not for staff).
ISSUE_TIMED = (Issue.Status.DISCOVERED, Issue.Status.CONSULTING, Issue.Status.HANDLING)


def order_deadline(
    order: Order, *, conf: ServiceSettings | None = None, calendar: WorkCalendar | None = None
) -> datetime.datetime | None:
    """When a unit must have accepted the order (submitted), or the community confirmed it (served); else None."""
    field = ORDER_TIMED.get(order.status)
    start = getattr(order, field) if field else None
    if start is None:
        return None
    conf = conf or ServiceSettings.load()
    return add_working_days(start, conf.order_remind_days, calendar)


def issue_deadline(
    issue: Issue, *, conf: ServiceSettings | None = None, calendar: WorkCalendar | None = None
) -> datetime.datetime | None:
    """When the issue's current step must be done before it goes up a level; None for an untimed step."""
    if issue.status not in ISSUE_TIMED or issue.step_started_at is None:
        return None
    conf = conf or ServiceSettings.load()
    return add_working_days(issue.step_started_at, conf.issue_limit(issue.status), calendar)


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def overdue_q(field: str, days: int, now: datetime.datetime, calendar: WorkCalendar) -> Q:
    """Rows with ``add_working_days(<field>, days) <= now``, as ranges of ``<field>`` (index friendly).

    A start date's deadline date never falls before an earlier start date's; so walking back from today,
    dates whose deadline is after today are not overdue, those whose deadline is today are overdue up
    to the time of day of ``now``, and from the first date whose deadline is before today, all are.
    """
    today = timezone.localdate(now)
    time_now = timezone.localtime(now).time()
    partial = Q(pk__in=[])
    day = today
    while True:
        due = calendar.add(_midnight(day), days).date()
        if due < today:
            break
        if due == today:
            until = datetime.datetime.combine(day, time_now, tzinfo=timezone.get_current_timezone())
            partial |= Q(**{f"{field}__gte": _midnight(day), f"{field}__lte": until})
        day -= datetime.timedelta(days=1)
    return Q(**{f"{field}__lt": _midnight(day + datetime.timedelta(days=1))}) | partial


def flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


@dataclass
class Clock:
    """The limits, the holiday calendar and the moment one list is drawn at (two queries, whatever its length)."""

    now: datetime.datetime
    conf: ServiceSettings
    calendar: WorkCalendar

    @classmethod
    def read(cls, now: datetime.datetime | None = None) -> "Clock":
        # The whole calendar: a few dozen rows a year, read once for every row of the page.
        return cls(now or timezone.now(), ServiceSettings.load(), WorkCalendar(datetime.date.min, datetime.date.max))

    def orders_overdue(self) -> Q:
        days = self.conf.order_remind_days
        return Q(
            Q(status=Order.Status.SUBMITTED) & overdue_q("submitted_at", days, self.now, self.calendar)
            | Q(status=Order.Status.SERVED) & overdue_q("served_at", days, self.now, self.calendar)
        )

    def issues_overdue(self) -> Q:
        condition = Q(pk__in=[])
        for status in ISSUE_TIMED:
            limit = self.conf.issue_limit(status)
            condition |= Q(status=status) & overdue_q("step_started_at", limit, self.now, self.calendar)
        return condition

    def orders(self, qs: QuerySet) -> QuerySet:
        """``overdue`` annotated (True for an order past its limit)."""
        return qs.annotate(overdue=flag(self.orders_overdue()))

    def issues(self, qs: QuerySet) -> QuerySet:
        return qs.annotate(overdue=flag(self.issues_overdue()))

    def order_waiting(self, order: Order) -> Waiting | None:
        return waiting(order_deadline(order, conf=self.conf, calendar=self.calendar), self.now)

    def issue_waiting(self, issue: Issue) -> Waiting | None:
        return waiting(issue_deadline(issue, conf=self.conf, calendar=self.calendar), self.now)

    def mark_orders(self, rows) -> list:
        """Each order with ``waiting`` (its countdown), no query."""
        rows = list(rows)
        for row in rows:
            row.waiting = self.order_waiting(row)
        return rows

    def mark_issues(self, rows) -> list:
        rows = list(rows)
        for row in rows:
            row.waiting = self.issue_waiting(row)
        return rows
