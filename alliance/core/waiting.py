"""How long an item has waited against its time limit, in words: 「还剩3小时」, 「已超时2小时」.

The apps compute each model's deadline (services.deadlines, projects.deadlines); this module only words
it, in Beijing time, for the lists, the admin and the notices.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext


def span(delta: datetime.timedelta) -> str:
    """A duration as a person says it: 「45分钟」, 「3小时」, 「2天5小时」 (rounded down, at least 1 minute)."""
    minutes = max(int(abs(delta).total_seconds()) // 60, 1)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days and hours:
        return _("%(days)s天%(hours)s小时") % {"days": days, "hours": hours}
    if days:
        return ngettext("%(days)s天", "%(days)s天", days) % {"days": days}
    if hours:
        return ngettext("%(hours)s小时", "%(hours)s小时", hours) % {"hours": hours}
    return ngettext("%(minutes)s分钟", "%(minutes)s分钟", minutes) % {"minutes": minutes}


MOMENT = gettext_noop("n月j日 H:i")  # the pattern of a deadline; the English catalogue gives "M j, H:i"


def moment(when: datetime.datetime) -> str:
    """A deadline in Beijing time: 「12月3日 16:00」."""
    local = timezone.localtime(when)
    pattern = _(MOMENT)
    if pattern == MOMENT:
        # The Chinese pattern written out: date_format parses its pattern on every call, 40 µs a row of a list.
        return f"{local.month}月{local.day}日 {local.hour:02d}:{local.minute:02d}"
    return date_format(local, pattern)


@dataclass(frozen=True)
class Waiting:
    """An item's time limit seen at ``now``."""

    deadline: datetime.datetime
    now: datetime.datetime

    @property
    def overdue(self) -> bool:
        return self.deadline <= self.now

    @property
    def text(self) -> str:
        left = self.deadline - self.now
        if self.overdue:
            return _("已超时%(span)s") % {"span": span(left)}
        return _("还剩%(span)s") % {"span": span(left)}

    @property
    def css(self) -> str:
        return "waiting overdue" if self.overdue else "waiting"

    def html(self):
        return format_html(
            '<span class="{}" title="{}">{}</span>',
            self.css,
            _("时限：%(when)s") % {"when": moment(self.deadline)},
            self.text,
        )


def waiting(deadline: datetime.datetime | None, now: datetime.datetime | None = None) -> Waiting | None:
    """The ``Waiting`` of a deadline (None for an item with no time limit)."""
    if deadline is None:
        return None
    return Waiting(deadline=deadline, now=now or timezone.now())
