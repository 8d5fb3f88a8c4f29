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
