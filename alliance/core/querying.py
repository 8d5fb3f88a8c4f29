"""Reading the query string: the one layer that validates and bounds what a page, a download or an API
list reads from ``request.GET``.

Every parameter goes through a form field of this module (or a django-filter filter built on them), so
no raw value reaches the ORM or the standard library: ids are positive and fit a bigint, years and
months lie in a sane range, dates and datetimes cannot overflow when moved into the local time zone,
search terms carry no control characters (NUL included) and are bounded in length.

How a bad value is answered:

- pages fall back to the parameter's default, show the form's error as a message and answer 400
  (``read_query`` + ``page_status``); the page stays usable and says what was wrong;
- downloads (Excel) answer 400 with the Chinese error page (``read_download_query``);
- the API answers 400 with field errors (``read_api_query``, and django-filter's backend for filtersets).

A filter naming a grid node that does not exist is an error like any other (``grids.querying.GridNodeFilter``).
"""

import datetime
import re

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import BadRequest, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError as ApiValidationError

MAX_ID = 2**63 - 1  # BigAutoField
MIN_YEAR, MAX_YEAR = 1900, 2999  # far enough for any record, near enough that no date arithmetic overflows
SEARCH_MAX_LENGTH = 100
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def parse_id(value) -> int | None:
    """A record id from raw text (ASCII digits only, within a bigint), else None: ``"²".isdigit()`` is
    true, yet no database takes it as a number."""
    text = str(value if value is not None else "")
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


def no_control_chars(value: str) -> None:
    if value and CONTROL_CHARS.search(value):
        raise ValidationError(_("不能包含控制字符。"), code="control_chars")


def _bounded_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(
            _("年份须在%(min)s–%(max)s之间。"), code="year_range", params={"min": MIN_YEAR, "max": MAX_YEAR}
        )


class IdField(forms.IntegerField):
    """A record's id: a positive integer that fits the database's bigint."""

    default_error_messages = {"invalid": _("请输入有效的编号。")}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class YearField(forms.IntegerField):
    default_error_messages = {"invalid": _("请输入有效的年份。")}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value is not None:
            _bounded_year(value)


class MonthField(forms.IntegerField):
    default_error_messages = {"invalid": _("请输入有效的月份。")}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 12)
        super().__init__(**kwargs)


class YearMonthField(forms.CharField):
    """``YYYY-MM`` → ``(year, month)``."""

    default_error_messages = {"invalid": _("请输入有效的月份，例如 2024-05。")}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 7)
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", value)
        if not match or not 1 <= int(match[2]) <= 12:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        year, month = int(match[1]), int(match[2])
        _bounded_year(year)
        return year, month


class SearchField(forms.CharField):
    """A search term: stripped, bounded, no control characters."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", SEARCH_MAX_LENGTH)
        super().__init__(**kwargs)
        self.validators.append(no_control_chars)


class ChoiceField(forms.ChoiceField):
    """One of the given values; empty means "all"."""

    default_error_messages = {"invalid_choice": _("不是可选的值。")}

    def __init__(self, *, choices, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(choices=[("", "")] + list(choices), **kwargs)

    def validate(self, value):
        if len(value) > 100:  # never echo an unbounded value back
            raise ValidationError(_("值过长。"), code="max_length")
        super().validate(value)


class DateField(forms.DateField):
    """An ISO date within MIN_YEAR..MAX_YEAR."""

    default_error_messages = {"invalid": _("请输入有效的日期，例如 2024-05-01。")}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str) and len(value) > 32:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        value = super().to_python(value)
        if value is not None:
            _bounded_year(value.year)
        return value


class AwareDateTimeField(forms.DateTimeField):
    """An ISO 8601 datetime WITH its offset (``2024-05-01T08:00:00+08:00`` or ``…Z``), within
    MIN_YEAR..MAX_YEAR: a naive, impossible or overflowing value is an error, never a guess."""

    default_error_messages = {
        "invalid": _("请输入有效的时间，例如 2024-05-01T08:00:00+08:00。"),
        "naive": _("时间须带时区，例如 2024-05-01T08:00:00+08:00。"),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            parsed = value
        else:
            text = str(value).strip()
            if len(text) > 40 or CONTROL_CHARS.search(text):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            try:
                parsed = datetime.datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T", 1))
            except ValueError:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if timezone.is_naive(parsed):
            raise ValidationError(self.error_messages["naive"], code="naive")
        _bounded_year(parsed.year)
        try:
            local = timezone.localtime(parsed)
            parsed.astimezone(datetime.UTC)
        except (OverflowError, ValueError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        _bounded_year(local.year)
        return parsed


class QueryForm(forms.Form):
    """A form of query parameters: ``value(name)`` is the valid value or the field's default."""

    def value(self, name):
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        if name in self.errors or name not in self.cleaned_data:
            return self.fields[name].initial
        value = self.cleaned_data[name]
        return self.fields[name].initial if value in (None, "") else value

    def values(self) -> dict:
        return {name: self.value(name) for name in self.fields}


def error_messages(form) -> list[str]:
    """“field label” message, for each error of a form (a QueryForm or a FilterSet's form)."""
    out = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = str(field.label) if field is not None and field.label else name
        for error in errors:
            out.append(str(error) if name == "__all__" else f"“{label}”{error}")
    return out


def read_query(request, form_class, **kwargs) -> QueryForm:
    """Bind a page's query string to ``form_class`` and validate it (the view may add errors of its own,
    e.g. a node that is not in the list it offers, with ``form.add_error``)."""
    form = form_class(request.GET, **kwargs)
    form.is_valid()
    return form


def page_status(request, *forms_) -> int:
    """Show each refused parameter as a message; the status the page answers with: 400 when one was refused
    (the page shows its defaults instead), else 200. Takes QueryForms and FilterSets' forms."""
    status = 200
    for form in forms_:
        for message in error_messages(form):
            messages.error(request, _("筛选条件无效，已按默认显示：%(error)s") % {"error": message})
            status = 400
    return status


def read_download_query(request, form_class, **kwargs) -> QueryForm:
    """Bind the query string of a download; an invalid parameter answers 400 (the Chinese error page)."""
    form = form_class(request.GET, **kwargs)
    if not form.is_valid():
        raise BadRequest("；".join(error_messages(form)))
    return form


def read_api_query(request, form_class, **kwargs) -> QueryForm:
    """Bind an API view's query parameters; an invalid one answers 400 with its field errors."""

    form = form_class(request.query_params, **kwargs)
    if not form.is_valid():
        raise ApiValidationError({name: list(errors) for name, errors in form.errors.items()})
    return form


# --- django-filter ----------------------------------------------------------------------------------


class SearchFilter(django_filters.CharFilter):
    """A bounded search term without control characters (the lookup is the filter's ``method``)."""

    field_class = SearchField


class DateFilter(django_filters.DateFilter):
    """An ISO date within MIN_YEAR..MAX_YEAR."""

    field_class = DateField


class YearFilter(django_filters.NumberFilter):
    """A year within MIN_YEAR..MAX_YEAR (``lookup_expr="year"`` on a date or datetime)."""

    field_class = YearField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("lookup_expr", "year")
        super().__init__(*args, **kwargs)
