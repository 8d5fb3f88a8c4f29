"""The audit history's manager (``Model.history``), built once per model instead of on every read.

django-simple-history's descriptor makes a new manager class (``Manager.from_queryset``, which inspects every
method of the history's queryset) each time ``instance.history`` or ``Model.history`` is read, and every save of
a model with a history reads it once to find the history model: about a third of writing the history row, on
every write of the portal. ``keep_history_managers`` (run once by alliance.core.apps) swaps each model's
descriptor for one that keeps the class it built; each read still gets a manager of its own, as before.
"""

from django.apps import apps
from simple_history.manager import HistoryDescriptor


class KeptHistoryDescriptor(HistoryDescriptor):
    def __init__(self, model, manager, queryset):
        super().__init__(model, manager=manager, queryset=queryset)
        self.built = manager.from_queryset(queryset)

    def __get__(self, instance, owner):
        return self.built(self.model, instance)


def keep_history_managers() -> None:
    for model in apps.get_models():
        name = getattr(model._meta, "simple_history_manager_attribute", None)
        if name is None:
            continue
        descriptor = model.__dict__.get(name)
        if isinstance(descriptor, HistoryDescriptor) and not isinstance(descriptor, KeptHistoryDescriptor):
            kept = KeptHistoryDescriptor(descriptor.model, descriptor.manager_class, descriptor.queryset_class)
            setattr(model, name, kept)


class IndexedOnly:
    """``HistoricalRecords(no_db_index=IndexedOnly(...))``: the history keeps an index on the row's id (its
    history page), on ``history_date`` and ``history_user`` (simple-history's own) and on the fields named here
    (those a read looks a person's rows up by: the privacy erase scrubs a resident's orders in the history too);
    every other copied foreign key loses the index simple-history gives it. Nothing reads the history by them,
    and each was one more index entry on every write of a busy row (an order's history had eleven)."""

    def __init__(self, *keep: str):
        self.keep = frozenset({"id", *keep})

    def __contains__(self, name: str) -> bool:
        return name not in self.keep
