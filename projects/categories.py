"""The categories as this process keeps them: a few dozen rows, each with its parent, that staff change a few times
a year, read on every order of the service menu (an order's answer names its category as "上级 · 类别").

Reading them with the menu item (a join of the category and its parent under the item's lock) was half of the
lock's 0.8 ms; here they are read once a minute at most. A category saved or deleted in this process is read
afresh at once; the other processes see it within ``KEPT_SECONDS``. Only what a category is called comes from
here; what an order stores is the id.
"""

import threading
import time

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from projects.models import Category

KEPT_SECONDS = 60

_kept: dict = {"at": float("-inf"), "rows": {}}
_lock = threading.Lock()


def category(pk: int) -> Category | None:
    """The category ``pk`` with its parent loaded (None if there is none): shared, read only."""
    rows = _kept["rows"]
    if pk not in rows or time.monotonic() - _kept["at"] > KEPT_SECONDS:
        with _lock:
            rows = {c.pk: c for c in Category.objects.select_related("parent")}
            _kept.update(rows=rows, at=time.monotonic())
    return rows.get(pk)


def forget() -> None:
    """The categories read afresh on the next call: after a save or delete in this process (below), or a write that
    sends no signal (``queryset.update()``)."""
    _kept["at"] = float("-inf")


@receiver(post_save, sender=Category, dispatch_uid="projects.categories.saved")
@receiver(post_delete, sender=Category, dispatch_uid="projects.categories.deleted")
def _forget(**kwargs) -> None:
    forget()
