"""How long an item has waited against its time limit, in words: 「还剩3小时」, 「已超时2小时」.

The apps compute each model's deadline (services.deadlines, projects.deadlines); this module only words
it, in Beijing time, for the lists, the admin and the notices.
"""

import datetime
from dataclasses import dataclass
from html import escape

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext


class Catalogue:
    """This module's texts in the active language, asked of the catalogue at each call (the portal's lists, the
    notices)."""

    def gettext(self, message: str) -> str:
        return _(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return ngettext(singular, plural, n)

    def zone(self):
        """The active time zone."""
        return timezone.get_current_timezone()


class Words(Catalogue):
    """The same texts, each asked of the catalogue once: made for one page, whose fifty rows ask it the same few
    questions each (some 5 µs a question)."""

    def __init__(self):
        self._texts: dict = {}
        self._zone = None

    def gettext(self, message: str) -> str:
        text = self._texts.get(message)
        if text is None:
            text = self._texts[message] = super().gettext(message)
        return text

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        key = (singular, n)
        text = self._texts.get(key)
        if text is None:
            text = self._texts[key] = super().ngettext(singular, plural, n)
        return text

    def zone(self):
        if self._zone is None:
            self._zone = super().zone()
        return self._zone


CATALOGUE = Catalogue()


def span(delta: datetime.timedelta, words: Catalogue = CATALOGUE) -> str:
    """A duration as a person says it: 「45分钟」, 「3小时」, 「2天5小时」 (rounded down, at least 1 minute)."""
    minutes = max(int(abs(delta).total_seconds()) // 60, 1)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days and hours:
        return words.gettext("%(days)s天%(hours)s小时") % {"days": days, "hours": hours}
    if days:
        return words.ngettext("%(days)s天", "%(days)s天", days) % {"days": days}
    if hours:
        return words.ngettext("%(hours)s小时", "%(hours)s小时", hours) % {"hours": hours}
    return words.ngettext("%(minutes)s分钟", "%(minutes)s分钟", minutes) % {"minutes": minutes}


MOMENT = gettext_noop("n月j日 H:i")  # the pattern of a deadline; the English catalogue gives "M j, H:i"


def moment(when: datetime.datetime, words: Catalogue = CATALOGUE) -> str:
    """A deadline in Beijing time: 「12月3日 16:00」."""
    local = timezone.localtime(when, words.zone())
    pattern = words.gettext(MOMENT)
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
        return self.text_in(CATALOGUE)

    def text_in(self, words: Catalogue) -> str:
        left = self.deadline - self.now
        if self.overdue:
            return words.gettext("已超时%(span)s") % {"span": span(left, words)}
        return words.gettext("还剩%(span)s") % {"span": span(left, words)}

    @property
    def css(self) -> str:
        return "waiting overdue" if self.overdue else "waiting"

    def html(self, words: Catalogue = CATALOGUE) -> SafeString:
        # format_html's text, escaped without its check of each argument for lazy text (50 rows a list).
        title = escape(words.gettext("时限：%(when)s") % {"when": moment(self.deadline, words)})
        return SafeString(f'<span class="{self.css}" title="{title}">{escape(self.text_in(words))}</span>')


def waiting(deadline: datetime.datetime | None, now: datetime.datetime | None = None) -> Waiting | None:
    """The ``Waiting`` of a deadline (None for an item with no time limit)."""
    if deadline is None:
        return None
    return Waiting(deadline=deadline, now=now or timezone.now())
