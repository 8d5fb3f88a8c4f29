"""What a notification is about, in words: 「居民说事 · 楼道堆放杂物」 instead of its key ``issue:19:escalate:3``.

A key starts with the model name of the object it is about (``<object>:<id>:<step>``, see
alliance.core.notifications); the model is found in the app registry by that name, so the kernel names no
domain app. ``label_rows(rows)`` labels a page of notifications with one query per kind of object.
"""

from collections import defaultdict

from django.apps import apps
from django.utils.translation import gettext as _


def _models_by_name() -> dict:
    return {model._meta.model_name: model for model in apps.get_models()}


def _parse(key: str) -> tuple[str, int] | None:
    parts = key.split(":")
    if len(parts) < 2 or not parts[1].isdigit():
        return None
    return parts[0], int(parts[1])


def label_rows(rows) -> None:
    """Sets ``subject_label`` on each notification of ``rows``: the kind and the name of its object."""
    models = _models_by_name()
    wanted: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        parsed = _parse(row.key)
        if parsed and parsed[0] in models:
            wanted[parsed[0]].add(parsed[1])
    found = {
        name: models[name]._default_manager.in_bulk(sorted(ids)) for name, ids in wanted.items()
    }  # one query per kind of object on the page
    for row in rows:
        row.subject_label = _label(row, models, found)


def _label(row, models, found) -> str:
    parsed = _parse(row.key)
    if parsed is None or parsed[0] not in models:
        return row.title
    name, pk = parsed
    kind = models[name]._meta.verbose_name
    obj = found.get(name, {}).get(pk)
    return f"{kind} · {obj}" if obj is not None else _("%(kind)s（已删除）") % {"kind": kind}


def subject_label(notification) -> str:
    if not hasattr(notification, "subject_label"):
        label_rows([notification])
    return notification.subject_label
