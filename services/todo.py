"""What waits for staff in residents' services (今日待办, alliance.core.todo): orders to accept and to confirm,
issues at each step with their countdown, bookings to confirm.

The time limits are those the reminder and escalation jobs use (services.actions.reminders): an order is to be
accepted within ``order_remind_days`` working days, a served order confirmed within as many, an issue moved on
within its step's limit (``ServiceSettings.issue_limit``).
"""

from django.utils.translation import gettext_lazy as _

from alliance.core.todo import Limit, TodoLine, in_states
from alliance.core.waiting import waiting
from services.deadlines import Clock, overdue_q
from services.models import Booking, Issue, Order


def _limit(field: str, days):
    """A time limit of ``days(settings)`` working days from ``field``: the rule and the countdown the lists, the
    reminders and the escalation use (services.deadlines)."""

    def overdue(queryset, now):
        clock = Clock.read(now)
        return queryset.filter(overdue_q(field, days(clock.conf), now, clock.calendar))

    def notes(rows, now):
        clock = Clock.read(now)
        limit = days(clock.conf)
        shown = [
            waiting(clock.calendar.add(start, limit), now) if start else None
            for start in (getattr(row, field) for row in rows)
        ]
        return [(w.text, w.overdue) if w else ("", False) for w in shown]

    return Limit(overdue=overdue, notes=notes)


def _order_note(order) -> str:
    return f"{order.grid_node.name} · {order.category.name}"


def _issue_note(issue) -> str:
    return f"{issue.grid_node.name} · {issue.get_level_display()}"


# The steps an issue waits at for staff, each with the limit past which escalate_overdue_issues moves it up
# (at the feedback step it waits for the resident's rating, not for staff).
ISSUE_STEPS = {
    Issue.Status.DISCOVERED: _("发现环节的居民说事"),
    Issue.Status.CONSULTING: _("会商环节的居民说事"),
    Issue.Status.HANDLING: _("处置环节的居民说事"),
}

LINES = [
    TodoLine(
        key="orders_to_accept",
        title=_("待接单的点单"),
        model=Order,
        rows=in_states(Order.Status.SUBMITTED),
        order_by=("submitted_at", "id"),  # the oldest first: past the limit first
        related=("menu_item", "category", "grid_node"),
        note=_order_note,
        limit=_limit("submitted_at", lambda conf: conf.order_remind_days),
    ),
    TodoLine(
        key="orders_to_confirm",
        title=_("待社区确认送达的点单"),
        model=Order,
        rows=in_states(Order.Status.SERVED),
        order_by=("served_at", "id"),
        related=("menu_item", "category", "grid_node"),
        note=_order_note,
        limit=_limit("served_at", lambda conf: conf.order_remind_days),
    ),
    *[
        TodoLine(
            key=f"issues_{status}",
            title=title,
            model=Issue,
            rows=in_states(status),
            order_by=("step_started_at", "id"),
            related=("grid_node",),
            limit=_limit("step_started_at", lambda conf, status=status: conf.issue_limit(status)),
            note=_issue_note,
        )
        for status, title in ISSUE_STEPS.items()
    ],
]

LINES.append(
    TodoLine(
        key="bookings_to_confirm",
        title=_("待确认的空间预约"),
        model=Booking,
        rows=in_states(Booking.Status.PENDING),
        order_by=("starts_at", "id"),
        related=("room__station", "room__unit", "booked_by"),
    )
)
