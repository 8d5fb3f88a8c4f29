"""The export of a list that also imports: the columns of its import resource, written by the kernel's exports.

The file is the import's template (same Chinese headers, choices as labels, related rows by their name or code),
and replaces django-import-export's own export page in the admin (``ScopedImportExportAdmin``).
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.db.models import ForeignKey

from alliance.core.exports import Column, Export
from alliance.core.importing.resources import NEVER_EXPORTED


def resource_export(resource_class, *, sheet=None) -> Export:
    """An ``Export`` whose columns are ``resource_class``'s export fields, rendered by their widgets."""
    resource = resource_class()
    model = resource._meta.model
    fields = [f for f in resource.get_export_fields() if f.attribute not in NEVER_EXPORTED]

    def getter(field):
        return lambda obj: resource.export_field(field, obj)

    related = []
    for f in fields:
        head = (f.attribute or "").split("__")[0]
        try:
            model_field = model._meta.get_field(head)
        except FieldDoesNotExist:  # a column that is not a model field (dehydrated)
            model_field = None
        if isinstance(model_field, ForeignKey):
            related.append(head)
    return Export(
        sheet=sheet or getattr(resource._meta, "name", None) or model._meta.verbose_name_plural,
        slug=model._meta.model_name,
        columns=[Column(f.column_name, getter(f)) for f in fields],
        select_related=related,
    )
