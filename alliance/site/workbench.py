"""今日待办: the to-do lines of every installed app (``<app>/todo.py``, alliance.core.todo), counted in the
viewer's subtree, each with its first rows and their workflow buttons.

Each line starts from the model admin's own queryset (scoped like its change list) and its link opens that change
list with ``?todo=<key>`` (the list filter ``alliance.core.todo.todo_filter``), so the count and the list agree.
The number of queries depends on the lines, never on how many rows wait: a count, the part past the limit and
the first ``SHOWN`` rows (with their related rows joined) for each line that has any. Counts stop at
``COUNT_CAP`` (the line then says 「999+ 件」): a city's superuser has 50,000 orders waiting, and counting them all
on every visit of the first page would cost more than the rest of the page (the lines' scoped indexes make a
street's count cheap).

The page keeps what it built per viewer for ``KEPT_SECONDS`` (``kept_todo``, alliance.core.cache): a save or
delete of any row a line reads (the cache group ``todo``) forgets it at once, so staff who accept an order on this
page come back to a page without it; the few seconds only bound what no save announces (a deadline passing, a bulk
update) and the page says when its lines were read (「数据更新于 HH:MM:SS」).
"""

import datetime
import functools
from dataclasses import dataclass, field
from importlib import import_module
from urllib.parse import urlencode

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.module_loading import module_has_submodule
from django.utils.translation import get_language

from alliance.core import cache
from alliance.core.admin_base import is_admin_user
from alliance.core.todo import OVERDUE_SUFFIX, TodoLine

SHOWN = 5  # rows shown under each line; the link opens all of them
COUNT_CAP = 999  # a line counts up to this many rows; past it the page says "999+"
KEPT_SECONDS = 10  # the lines are read at most this long ago (unless a save forgot them: cache group "todo")


def capped_count(rows) -> int:
    """How many rows, up to ``COUNT_CAP + 1`` (ids only, no ordering)."""
    return rows.order_by().values("pk")[: COUNT_CAP + 1].count()


# The order of the page by app label: the residents' services first, the committee's follow-up and the kernel's
# failed deliveries last; an app not named here (a new one) comes before those.
APP_ORDER = ("services", "projects", "volunteering", "members", "alliance", "core")


@functools.cache
def todo_lines() -> tuple[TodoLine, ...]:
    """Every installed app's ``todo.LINES``, in APP_ORDER (found through the app registry, as the beat schedules
    are: alliance.core.schedules)."""
    found: list[tuple[int, int, TodoLine]] = []
    for config in apps.get_app_configs():
        if config.module is None or not module_has_submodule(config.module, "todo"):
            continue
        module = import_module(f"{config.name}.todo")
        rank = APP_ORDER.index(config.label) if config.label in APP_ORDER else len(APP_ORDER) - 2
        found.extend((rank, len(found), line) for line in getattr(module, "LINES", ()))
    return tuple(line for _rank, _n, line in sorted(found, key=lambda item: item[:2]))


@dataclass
class Item:
    obj: object
    url: str
    note: str = ""
    countdown: str = ""
    late: bool = False
    buttons: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Line:
    key: str
    title: str
    count: int
    url: str
    overdue: int | None = None
    overdue_url: str = ""
    items: list[Item] = field(default_factory=list)
    more: bool = False  # more rows than ``count`` (capped)
    overdue_more: bool = False

    @classmethod
    def capped(cls, n: int) -> tuple[int, bool]:
        return min(n, COUNT_CAP), n > COUNT_CAP


def _url(site, opts, name: str, *args) -> str:
    return reverse(f"{site.name}:{opts.app_label}_{opts.model_name}_{name}", args=args)


def _items(site, request, line: TodoLine, model_admin, rows, now) -> list[Item]:
    shown = list(rows.select_related(*line.related).order_by(*line.order_by)[:SHOWN])
    countdowns = line.limit.notes(shown, now) if line.limit is not None else [("", False)] * len(shown)
    opts = line.model._meta
    back = urlencode({"next": reverse(f"{site.name}:index")})
    transitions = getattr(model_admin, "transitions", ())
    items = []
    for obj, (countdown, late) in zip(shown, countdowns, strict=True):
        buttons = []
        if transitions and model_admin.has_change_permission(request, obj):
            for t in transitions:
                if t.offered(obj):
                    try:
                        buttons.append((str(t.label), f"{_url(site, opts, 'transition', obj.pk, t.name)}?{back}"))
                    except NoReverseMatch:  # an admin without the transition pages
                        break
        items.append(
            Item(
                obj=obj,
                url=_url(site, opts, "change", obj.pk),
                note=line.note(obj) if line.note else "",
                countdown=countdown,
                late=late,
                buttons=buttons,
            )
        )
    return items


def todo(site, request) -> list[Line]:
    """The lines the viewer may see, in the viewer's subtree, with counts and the first rows."""
    if not is_admin_user(request.user):
        return []
    now = timezone.now()
    out = []
    for line in todo_lines():
        model_admin = site._registry.get(line.model)
        if model_admin is None or not model_admin.has_view_permission(request):
            continue
        rows = line.rows(model_admin.get_queryset(request), now)
        changelist = _url(site, line.model._meta, "changelist")
        count, more = Line.capped(capped_count(rows))
        entry = Line(key=line.key, title=str(line.title), count=count, more=more, url=f"{changelist}?todo={line.key}")
        if line.limit is not None:
            entry.overdue_url = f"{changelist}?todo={line.key}{OVERDUE_SUFFIX}"
            overdue = capped_count(line.limit.overdue(rows, now)) if entry.count else 0
            entry.overdue, entry.overdue_more = Line.capped(overdue)
        if entry.count:
            entry.items = _items(site, request, line, model_admin, rows, now)
        out.append(entry)
    return out


def kept_todo(site, request) -> tuple[list[Line], datetime.datetime]:
    """``todo(site, request)`` and when it was read: kept per viewer (their role and node decide the lines, the
    rows and the buttons) for ``KEPT_SECONDS``, forgotten by any save of a line's rows (cache group ``todo``)."""
    user = request.user
    key = (
        f"todo:{site.name}:{get_language()}:{user.pk}:{int(user.is_superuser)}:{int(user.is_active)}:"
        f"{getattr(user, 'role', '')}:{getattr(user, 'grid_node_id', '')}"
    )
    return cache.get_or_build(key, ("todo",), lambda: (todo(site, request), timezone.now()), ttl=KEPT_SECONDS)
