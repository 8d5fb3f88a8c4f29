"""Reading a grid node from the query string: the grid's field and django-filter filter, built on the
kernel's query layer (``alliance.core.querying``). A node that does not exist is a field error (400)."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES

from alliance.core.querying import parse_id
from grids.models import GridNode


class GridNodeChoiceField(forms.ModelChoiceField):
    default_error_messages = {"invalid_choice": _("网格不存在。")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, GridNode):
            return value
        number = parse_id(value)
        if number is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(number)


class GridNodeFilter(django_filters.ModelChoiceFilter):
    """A grid node by id; a node that does not exist is a field error (400), never "every row".

    ``mode`` says what it matches on ``field_name`` (a path to a GridNode, ``"id"`` on GridNode itself):
    ``"exact"`` the node,
    ``"subtree"`` the node and everything below it, ``"serving"`` the node and its ancestors (what serves it).
    """

    field_class = GridNodeChoiceField

    def __init__(self, *args, mode: str = "exact", **kwargs):
        kwargs.setdefault("queryset", GridNode.objects.only("id", "path", "level", "street_id"))
        kwargs.setdefault("label", _("网格"))
        self.mode = mode
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        prefix = "" if self.field_name in ("", "id", "pk") else f"{self.field_name}__"  # "id": the node itself
        if self.mode == "subtree":
            return self.get_method(qs)(**{f"{prefix}path__startswith": value.path})
        if self.mode == "serving":
            parts = [p for p in value.path.strip("/").split("/") if p]
            paths = ["/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]
            return self.get_method(qs)(**{f"{prefix}path__in": paths})
        return self.get_method(qs)(**{self.field_name or "pk": value})
