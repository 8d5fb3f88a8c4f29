"""A beat schedule in plain Chinese: 「每月25日 09:00」, 「每天 04:00」, 「每30分钟」 (issue 14).

``describe(schedule)`` reads a django_celery_beat CrontabSchedule or IntervalSchedule field by field;
what it cannot put in words it writes as 「分 … 时 … 日 … 月 … 星期 …」 with the crontab's own values.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

WEEKDAYS = {
    "0": pgettext_lazy("weekday", "日"),
    "1": pgettext_lazy("weekday", "一"),
    "2": pgettext_lazy("weekday", "二"),
    "3": pgettext_lazy("weekday", "三"),
    "4": pgettext_lazy("weekday", "四"),
    "5": pgettext_lazy("weekday", "五"),
    "6": pgettext_lazy("weekday", "六"),
    "7": pgettext_lazy("weekday", "日"),
}
# How one value of a crontab field is said (the unit after the number in Chinese).
DAY_OF_MONTH = gettext_lazy("%(n)s日")
MONTH = gettext_lazy("%(n)s月")
HOUR = gettext_lazy("%(n)s点")


def _number(value: str) -> bool:
    return value.isdigit()


def _every(value: str) -> str | None:
    """``*/N`` → N; anything else → None."""
    if value.startswith("*/") and value[2:].isdigit():
        return value[2:]
    return None


def _items(value: str, unit=None, names=None) -> str | None:
    """``1,15`` → 1日、15日; ``1-5`` → 1日至5日 (with ``names`` for weekdays); None if not of that form."""
    out = []
    for part in value.split(","):
        ends = part.split("-")
        if not all(e.isdigit() for e in ends) or len(ends) > 2:
            return None
        words = [str(names[e]) if names else unit % {"n": int(e)} for e in ends]
        out.append(pgettext("range", "%(a)s至%(b)s") % {"a": words[0], "b": words[1]} if len(words) == 2 else words[0])
    return pgettext("list separator", "、").join(out)


def _days(c) -> str | None:
    dom, moy, dow = c.day_of_month, c.month_of_year, c.day_of_week
    if dom == "*" and moy == "*" and dow == "*":
        return _("每天")
    if moy == "*" and dow == "*":
        days = _items(dom, DAY_OF_MONTH)
        return days and _("每月%(days)s") % {"days": days}
    if dom == "*" and moy == "*":
        days = _items(dow, names=WEEKDAYS)
        return days and _("每周%(days)s") % {"days": days}
    if dow == "*":
        months, days = _items(moy, MONTH), _items(dom, DAY_OF_MONTH) if dom != "*" else ""
        if months and days is not None:
            return _("每年%(months)s%(days)s") % {"months": months, "days": days}
    return None


def _time(c) -> str | None:
    minute, hour = c.minute, c.hour
    if _number(minute) and _number(hour):
        return f"{int(hour):02d}:{int(minute):02d}"
    if _number(minute) and hour == "*":
        return _("每小时第%(m)s分") % {"m": int(minute)} if int(minute) else _("每小时整点")
    if _number(minute) and _every(hour):
        return _("每%(n)s小时（第%(m)s分）") % {"n": _every(hour), "m": int(minute)}
    if _number(minute) and all(h.isdigit() for h in hour.split(",")):
        return pgettext("list separator", "、").join(f"{int(h):02d}:{int(minute):02d}" for h in hour.split(","))
    if _number(minute) and _items(hour, HOUR):
        return _("%(hours)s每小时第%(m)s分") % {"hours": _items(hour, HOUR), "m": int(minute)}
    if _every(minute) and hour == "*":
        return _("每%(n)s分钟") % {"n": _every(minute)}
    if _every(minute) and _items(hour, HOUR):
        return _("%(hours)s每%(n)s分钟") % {"hours": _items(hour, HOUR), "n": _every(minute)}
    if minute == "*" and hour == "*":
        return _("每分钟")
    return None


def describe_crontab(c) -> str:
    days, time = _days(c), _time(c)
    if days and time:
        text = time if days == _("每天") and time.startswith(_("每")) else f"{days} {time}"
    else:
        text = _("分 %(m)s 时 %(h)s 日 %(d)s 月 %(mo)s 星期 %(w)s") % {
            "m": c.minute,
            "h": c.hour,
            "d": c.day_of_month,
            "mo": c.month_of_year,
            "w": c.day_of_week,
        }
    if str(c.timezone) not in (settings.TIME_ZONE, "Asia/Chongqing", "PRC"):
        text += _("（非北京时间）")
    return text


UNITS = {"days": 86400, "hours": 3600, "minutes": 60, "seconds": 1, "microseconds": 0}


def describe_interval(i) -> str:
    seconds = i.every * UNITS.get(i.period, 1)
    if i.period == "microseconds" or not seconds:
        return _("每%(n)s微秒") % {"n": i.every}
    for size, unit in ((86400, _("天")), (3600, _("小时")), (60, _("分钟"))):
        if seconds % size == 0:
            n = seconds // size
            return _("每%(unit)s") % {"unit": unit} if n == 1 else _("每%(n)s%(unit)s") % {"n": n, "unit": unit}
    return _("每%(n)s秒") % {"n": seconds}


def describe(schedule) -> str:
    if schedule is None:
        return ""
    if hasattr(schedule, "day_of_week"):
        return describe_crontab(schedule)
    if hasattr(schedule, "every"):
        return describe_interval(schedule)
    return str(schedule)


def describe_task(task) -> str:
    """A periodic task's schedule in words (its crontab or interval; solar and clocked ones as they are)."""
    return describe(task.crontab or task.interval or task.solar or task.clocked)
