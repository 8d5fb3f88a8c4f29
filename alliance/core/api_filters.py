"""The API's ordering filter (``DEFAULT_FILTER_BACKENDS``).

DRF lets a list without ``ordering_fields`` be ordered by any serializer field, including ones that are
no database column (``get_kind_display``, ``room.__str__``): ``?ordering=get_kind_display`` was a 500.
Here such a list may be ordered only by the serializer fields that are columns (or annotations) of its
queryset; other names are ignored, as DRF ignores unknown names. The schema lists the names.
"""

from django.core.exceptions import FieldDoesNotExist
from rest_framework import filters


def _is_column(model, lookup: str) -> bool:
    parts = lookup.split("__")
    for position, part in enumerate(parts):
        if not part:
            return False
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False
        if getattr(field, "many_to_many", False) or getattr(field, "one_to_many", False):
            return False
        if position < len(parts) - 1:
            if not field.is_relation or field.related_model is None:
                return False
            model = field.related_model
        elif not getattr(field, "concrete", False):
            return False
    return True


class OrderingFilter(filters.OrderingFilter):
    def get_default_valid_fields(self, queryset, view, context=None):
        annotations = set(queryset.query.annotations)
        return [
            (name, label)
            for name, label in super().get_default_valid_fields(queryset, view, context)
            if name in annotations or _is_column(queryset.model, name)
        ]
