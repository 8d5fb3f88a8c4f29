"""To-do lines (今日待办): what waits for street and community staff, declared by each app in ``<app>/todo.py``.

An app lists ``LINES = [TodoLine(...), ...]``; the admin's first page (alliance.site.workbench) collects every
installed app's lines through the app registry, counts each line in the viewer's subtree (the model admin's own
scoped queryset), shows the first few rows with the workflow's buttons and links to the change list filtered to
exactly those rows: ``?todo=<key>``, the list filter ``todo_filter`` adds to that model's admin, which narrows the
same scoped queryset with the same ``rows`` function. A line with a time limit also offers ``<key>-overdue``.

This module is the kernel's own to-do too: notification deliveries that failed.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.contrib import admin
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from alliance.core.models import NotificationDelivery

OVERDUE_SUFFIX = "-overdue"


@dataclass(frozen=True)
class Limit:
    """A line's time limit: which rows are past it, and each shown row's countdown.

    ``overdue(queryset, now)`` narrows the line's rows to those past the limit; ``notes(rows, now)`` says for
    each shown row how long it has left or how late it is, and whether it is past the limit
    (「剩余1个工作日」, False), (「已超时2个工作日」, True), in one go so a calendar is read once for all of them."""

    overdue: Callable
    notes: Callable


@dataclass(frozen=True)
class TodoLine:
    """One line of the to-do page.

    ``rows(queryset, now)`` narrows the model admin's scoped queryset to the waiting rows; ``order_by`` puts the
    most pressing first (past the limit first: the oldest); ``related`` are the ``select_related`` paths the
    row's text needs; ``note(obj)`` a short detail shown beside a row without a limit."""

    key: str
    title: str | Promise  # a lazy translation
    model: type
    rows: Callable
    order_by: Sequence[str] = ("pk",)
    related: Sequence[str] = ()
    limit: Limit | None = None
    note: Callable | None = None

    def matches(self, value: str) -> tuple[bool, bool]:
        """(this line, its overdue part) for a filter value."""
        if value == self.key:
            return True, False
        if self.limit is not None and value == self.key + OVERDUE_SUFFIX:
            return True, True
        return False, False


def in_states(*states):
    """A line's ``rows``: the rows in one of ``states`` (the workflow's waiting states)."""

    def rows(queryset, now):
        return queryset.filter(status__in=states)

    return rows


def todo_filter(lines: Sequence[TodoLine]):
    """The change list's filter 「待办」 of the lines of its model: ``?todo=<key>`` shows exactly the rows the
    to-do page counted. A value that names no line leaves the list unfiltered (the sidebar shows no choice)."""

    class TodoFilter(admin.SimpleListFilter):
        title = _("待办")
        parameter_name = "todo"

        def _lines(self, model):
            return [line for line in lines if line.model is model]

        def lookups(self, request, model_admin):
            choices = []
            for line in self._lines(model_admin.model):
                choices.append((line.key, line.title))
                if line.limit is not None:
                    choices.append((line.key + OVERDUE_SUFFIX, _("%(title)s（已超时）") % {"title": line.title}))
            return choices

        def queryset(self, request, queryset):
            value = self.value()
            if not value or len(value) > 100:
                return queryset
            now = timezone.now()
            for line in self._lines(queryset.model):
                found, overdue = line.matches(value)
                if found:
                    rows = line.rows(queryset, now)
                    return line.limit.overdue(rows, now) if overdue else rows
            return queryset

    return TodoFilter


def _failed(queryset, now):
    return queryset.filter(status=NotificationDelivery.Status.FAILED)


def _delivery_note(delivery) -> str:
    return delivery.last_error[:60]


LINES = [
    TodoLine(
        key="deliveries_failed",
        title=_("发送失败的消息"),
        model=NotificationDelivery,
        rows=_failed,
        order_by=("-created_at", "-id"),
        related=("notification__recipient",),
        note=_delivery_note,
    ),
]
