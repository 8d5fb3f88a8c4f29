"""The rows of every ScopedAdmin change list, drawn as the stock admin draws them at a fraction of the cost.

Django's ``items_for_result`` works out each cell from scratch: which kind of column it is (a model field, an
admin method, a model attribute), the field's choices, its empty value, its classes, the date format of the
language, then builds the cell with ``format_html``. A list of 50 rows and 10 columns does this 500 times, and
that, not the queries, is most of a city-scale list's time (issue 19: a 9-11 column list against the stock
5-column ceiling). Here each column is worked out once per page and each cell is a formatter call and a string;
the HTML is the stock one (tests/services/test_admin_rows.py compares them). Lists with editable columns
(``list_editable``) keep the stock rows.
"""

import datetime
import html

from django.conf import settings
from django.contrib.admin import utils as admin_utils
from django.contrib.admin.templatetags.admin_list import (
    ResultList,
    items_for_result,
    result_headers,
    result_hidden_fields,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName,
    display_for_field,
    display_for_value,
    lookup_field,
)
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.urls import NoReverseMatch
from django.utils import dateformat, formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

_MISS = object()


def _coerce_field_name(name, index: int) -> str:
    """The column's name in its class, as admin_list's private helper of the same name."""
    if callable(name):
        return f"lambda{index}" if name.__name__ == "<lambda>" else name.__name__
    return name


def _escape(shown) -> str:
    """``conditional_escape`` without its lazy-string wrapper (500 calls a page): the same text."""
    if hasattr(shown, "__html__"):
        return shown.__html__()
    return html.escape(str(shown))


class _Column:
    """One column of the page: how its value is read and shown, worked out once."""

    def __init__(self, cl, index: int, name, link: bool):
        admin = cl.model_admin
        self.name = name
        self.link = link
        self.empty = admin.get_empty_value_display()
        self.classes = f"field-{_coerce_field_name(name, index)}"
        self.field = None
        self.method = None  # an admin method or callable: value = method(obj)
        self.read = None  # a concrete field's attribute
        self.memo: dict = {}
        self.related = False
        self.datetime_format = None
        self.boolean = False
        self.nowrap = False
        field = None
        if not callable(name):
            try:
                field = admin_utils._get_non_gfk_field(cl.lookup_opts, name)  # type: ignore[attr-defined]
            except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
                field = None
        if field is not None and "__" not in name and not field.auto_created:
            self.field = field
            self.read = name
            self.related = isinstance(field.remote_field, models.ManyToOneRel)
            self.nowrap = isinstance(field, (models.DateField, models.TimeField, models.ForeignKey))
            if isinstance(field, models.DateTimeField) and not field.flatchoices:
                # display_for_field's localize(template_localtime(value)) with the language's format read once.
                self.datetime_format = formats.get_format("DATETIME_FORMAT")
        elif callable(name):
            self.method = name
        elif field is None and name != "__str__" and hasattr(admin, name):
            self.method = getattr(admin, name)
        if self.method is not None:
            self.empty = getattr(self.method, "empty_value_display", self.empty)
            self.boolean = getattr(self.method, "boolean", False)
            if name == "action_checkbox":
                self.classes = "action-checkbox"

    def cell(self, cl, obj):
        """(text shown, class attribute) of this column for ``obj``, as ``items_for_result`` makes them."""
        if self.read is not None:
            value = getattr(obj, self.read)
            if isinstance(value, str) and value.strip() == "":
                value = ""
            if self.related:
                return (self.empty if value is None else value), self.classes_for(True)
            if self.datetime_format is not None and value is not None:
                return dateformat.format(timezone.template_localtime(value), self.datetime_format), self.classes_for(
                    True
                )
            try:
                key = (value.__class__, value)
                shown = self.memo.get(key, _MISS)
            except TypeError:
                key, shown = None, _MISS
            if shown is _MISS:
                shown = display_for_field(value, self.field, self.empty, avoid_link=self.link)
                if key is not None:
                    self.memo[key] = shown
            return shown, self.classes_for(self.nowrap)
        if self.method is not None:
            try:
                value = self.method(obj)
            except ObjectDoesNotExist:
                return self.empty, self.classes
            empty = self.empty
            boolean = self.boolean
        else:  # a model attribute, property or lookup: the stock path
            try:
                field, attr, value = lookup_field(self.name, obj, cl.model_admin)
            except ObjectDoesNotExist:
                return self.empty, self.classes
            empty = getattr(attr, "empty_value_display", self.empty)
            if field is not None and not field.auto_created:
                if isinstance(value, str) and value.strip() == "":
                    value = ""
                if isinstance(field.remote_field, models.ManyToOneRel):
                    field_val = getattr(obj, field.name)
                    shown = empty if field_val is None else field_val
                else:
                    shown = display_for_field(value, field, empty, avoid_link=self.link)
                wrap = isinstance(field, (models.DateField, models.TimeField, models.ForeignKey))
                return shown, self.classes_for(wrap)
            boolean = getattr(attr, "boolean", False)
            if isinstance(attr, property) and hasattr(attr, "fget"):
                boolean = getattr(attr.fget, "boolean", False)
        if isinstance(value, str) and value.strip() == "":
            value = ""
        if type(value) is int and not boolean and not settings.USE_THOUSAND_SEPARATOR:
            return str(value), self.classes  # number_format's text for an int without grouping
        shown = display_for_value(value, empty, boolean)
        return shown, self.classes_for(isinstance(value, (datetime.date, datetime.time)))

    def classes_for(self, nowrap: bool) -> str:
        return f"{self.classes} nowrap" if nowrap else self.classes


class RowRenderer:
    """The rows of one page of ``cl``: columns worked out on the first row, cells drawn by them."""

    def __init__(self, cl):
        self.cl = cl
        links = cl.list_display_links
        self.columns = []
        first = True
        for index, name in enumerate(cl.list_display):
            if links is None:
                link = False
            elif first and not links:
                link = True
            else:
                link = name in links
            if link:
                first = False
            self.columns.append(_Column(cl, index, name, link))
        self.pk_attr = str(cl.to_field) if cl.to_field else cl.lookup_opts.pk.attname
        self._refilter = None  # whether add_preserved_filters changes the rows' URLs (decided on the first row)

    def _url(self, obj) -> str:
        cl = self.cl
        url = cl.url_for_result(obj)
        if self._refilter is None:
            filtered = add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url)
            self._refilter = filtered != url
            return filtered
        if self._refilter:
            return add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url)
        return url

    def row(self, obj) -> list[str]:
        """The row's cells as HTML, every part escaped here: ``results`` marks the joined row safe once (a
        ``mark_safe`` a cell checked its argument for lazy text, 500 times a page)."""
        cells: list[str] = []
        tag = "th"
        for column in self.columns:
            shown, classes = column.cell(self.cl, obj)
            if column.link:
                try:
                    url = self._url(obj)
                except NoReverseMatch:
                    inner: str = _escape(shown)
                else:
                    popup = (
                        format_html(' data-popup-opener="{}"', obj.serializable_value(self.pk_attr))
                        if self.cl.is_popup
                        else ""
                    )
                    inner = f'<a href="{_escape(url)}"{popup}>{_escape(shown)}</a>'
                cells.append(f'<{tag} class="{classes}">{inner}</{tag}>')
                tag = "td"
            else:
                cells.append(f'<td class="{classes}">{_escape(shown)}</td>')
        return cells


def results(cl):
    """``admin_list.results`` with the rows drawn by a RowRenderer (lists with editable columns: the stock rows)."""
    if cl.formset:
        for res, form in zip(cl.result_list, cl.formset.forms, strict=False):
            yield ResultList(form, items_for_result(cl, res, form))
        return
    renderer = RowRenderer(cl)
    for res in cl.result_list:
        # The row's cells as one string: the template joins them with nothing between (``{% for item in result %}``),
        # so the HTML is the same, drawn with one loop turn a row instead of one a cell.
        yield ResultList(None, [SafeString("".join(renderer.row(res)))])  # each cell escaped by row()


def result_list(cl) -> dict:
    """The context of ``admin/change_list_results.html``, as the stock ``result_list`` tag makes it."""
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": list(results(cl)),
    }
