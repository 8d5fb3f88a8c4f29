"""Columns and cell widgets of the imports and exports: Chinese headers, labels, lookups, dates, tags."""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import fields as ie_fields
from import_export import widgets

from alliance.core.scoping import scope_queryset

TAG_SEPARATORS = re.compile(r"[,,、;;\s]+")


TAG_SEPARATORS = re.compile(r"[,,、;;\s]+")


# --- columns and widgets ---------------------------------------------------------------------------


def column(attribute: str, header: str, widget=None, **kwargs) -> ie_fields.Field:
    """A resource field with a Chinese column header."""
    return ie_fields.Field(attribute=attribute, column_name=header, widget=widget or TextWidget(), **kwargs)


def cell_text(value) -> str:
    """A cell as text: Excel gives numbers as floats (13812345678.0) and leaves spaces around text."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return cell_text(value)


class LookupWidget(widgets.ForeignKeyWidget):
    """A foreign key by a natural key (code, name…); an unknown value is a Chinese row error.

    ``alternatives`` are further lookup fields tried in order (e.g. a unit by name or credit code).
    """

    def __init__(self, model, field="pk", *, alternatives=(), label=None, scoped=False, **kwargs):
        super().__init__(model, field, **kwargs)
        self.alternatives = tuple(alternatives)
        self.label = label or model._meta.verbose_name
        # scoped: only records in the importing user's subtree can be referred to (as in the admin's choices).
        self.scoped = scoped

    def get_queryset(self, value, row, *args, **kwargs):
        queryset = super().get_queryset(value, row, *args, **kwargs)
        user = kwargs.get("user")
        if self.scoped and user is not None:
            queryset = scope_queryset(queryset, user)
        return queryset

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        user = kwargs.get("user")
        key = (text, getattr(user, "pk", None))
        cache = self.__dict__.setdefault("_found", {})  # one import: the same code is looked up once
        if key in cache:
            return cache[key]
        queryset = self.get_queryset(value, row, **kwargs)
        for lookup in (self.field, *self.alternatives):
            found = list(queryset.filter(**{lookup: text})[:2])
            if len(found) == 1:
                cache[key] = found[0]
                return found[0]
        if self.scoped:
            message = _("在您的管辖范围内找不到%(label)s“%(value)s”，请核对。")
        else:
            message = _("找不到%(label)s“%(value)s”，请核对。")
        raise ValueError(message % {"label": self.label, "value": text})

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return cell_text(getattr(value, self.field, value))


class ChoiceLabelWidget(widgets.Widget):
    """A choice written as its Chinese label (the stored value is accepted too)."""

    def __init__(self, choices, **kwargs):
        self.choices_class = choices  # labels read in the active language (Chinese ones always accepted)
        super().__init__(**kwargs)

    @property
    def choices(self) -> list[tuple[str, str]]:
        return [(str(v), str(label)) for v, label in self.choices_class.choices]

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        choices = self.choices
        with translation.override(settings.LANGUAGE_CODE):
            source = [str(label) for _v, label in self.choices_class.choices]
        for (stored, label), chinese in zip(choices, source, strict=True):
            if text in (label, stored, chinese):
                return stored
        raise ValueError(
            _("“%(value)s”不是有效的选项，可选：%(options)s。")
            % {"value": text, "options": "、".join(label for _v, label in choices)}
        )

    def render(self, value, obj=None, **kwargs):
        return dict(self.choices).get(str(value), "" if value is None else str(value))


class DateWidget(widgets.Widget):
    """A date from an Excel date cell or text such as 2024-03-01, 2024/3/1, 2024.3.1 or 2024年3月1日."""

    PATTERN = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = cell_text(value)
        if not text:
            return None
        text = text.split(" ")[0] if " " in text and ":" in text else text
        match = self.PATTERN.match(text)
        if match:
            try:
                return datetime.date(*(int(g) for g in match.groups()))
            except ValueError:
                pass
        raise ValueError(_("日期“%(value)s”无法识别，请填写如 2024-03-01 的日期。") % {"value": text})

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class TagsWidget(widgets.ManyToManyWidget):
    """Tags separated by commas or 、; unknown tags are created (``name`` must be unique)."""

    def __init__(self, model, field="name", **kwargs):
        super().__init__(model, field=field, **kwargs)

    def clean(self, value, row=None, **kwargs):
        names = [n for n in TAG_SEPARATORS.split(cell_text(value)) if n]
        tags = []
        for name in dict.fromkeys(names):
            max_length = self.model._meta.get_field(self.field).max_length
            if max_length and len(name) > max_length:
                raise ValueError(_("标签“%(name)s”太长（最多%(n)d个字）。") % {"name": name, "n": max_length})
            tag, _created = self.model.objects.get_or_create(**{self.field: name})
            tags.append(tag)
        return tags

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return "、".join(str(getattr(v, self.field)) for v in value.all())
