"""What waits for staff in dual reporting (今日待办, alliance.core.todo): reports to confirm or return, overdue
past the reminder job's limit (actions.reminders.WAITING_DAYS)."""

import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alliance.core.todo import Limit, TodoLine, in_states
from alliance.core.waiting import waiting
from alliance.volunteering.actions.reminders import WAITING_DAYS
from alliance.volunteering.models import DualReport

LIMIT = datetime.timedelta(days=WAITING_DAYS)


def _since(report) -> datetime.datetime:
    return report.resubmitted_at or report.submitted_at


def _overdue(queryset, now):
    cutoff = now - LIMIT
    return queryset.filter(
        Q(status=DualReport.Status.SUBMITTED, submitted_at__lt=cutoff)
        | Q(status=DualReport.Status.RESUBMITTED, resubmitted_at__lt=cutoff)
    )


def _notes(rows, now):
    shown = [waiting(_since(r) + LIMIT, now) for r in rows]
    return [(w.text, w.overdue) for w in shown]


LINES = [
    TodoLine(
        key="reports_to_confirm",
        title=_("待确认的党员双报到"),
        model=DualReport,
        rows=in_states(*DualReport.WAITING),
        order_by=("submitted_at", "id"),
        related=("member", "community"),
        limit=Limit(overdue=_overdue, notes=_notes),
    ),
]
