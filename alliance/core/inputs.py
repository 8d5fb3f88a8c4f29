"""What people type, cleaned and bounded in one place: the text fields of every form and input serializer.

Two kinds of text:

- one line (titles, names, reasons, notes kept in a ``CharField`` column): line breaks and tabs become
  a space, every other control or format character (C0/C1 controls, zero-width characters, bidi
  controls, lone surrogates) is dropped, the ends are trimmed;
- several lines (descriptions, minutes, replies kept in a ``TextField``): line breaks are kept (as
  ``\\n``), every other control or format character is dropped.

A value made only of invisible characters (spaces of any kind, zero-width and format characters,
fillers) is no value: a required field answers “请填写内容。”. Lengths come from the model column
(``model_char`` / ``form_char``), so a string longer than the column is a field error, never a
database error.

DRF: ``LineField``, ``MultiLineField``, ``model_char(Model, "field", **kw)``, ``model_choice(...)`` and
``InputModelSerializer`` (a ModelSerializer whose text columns map to the two fields above).
Forms: ``LineFormField``, ``MultiLineFormField``, ``form_char(Model, "field", **kw)``,
``form_choice(...)`` and ``input_formfield`` (the ``formfield_callback`` of ModelForms).
"""

import re
import unicodedata

from django import forms
from django.contrib import messages
from django.core import validators as django_validators
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from alliance.core.api_fields import DateTimeField, ModelSerializer

BLANK_MESSAGE = _("请填写内容。")
MAX_LENGTH_MESSAGE = _("最多 %(limit_value)d 个字（当前 %(show_value)d 个）。")
DRF_MAX_LENGTH_MESSAGE = _("最多 {max_length} 个字。")
INVALID_MESSAGE = _("请填写文字。")

# Characters that render as nothing although they are not whitespace or format characters (fillers, blanks).
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")
_LINE_BREAKS_RE = re.compile(r"[\r\n\t\v\f\x1c-\x1f\x85\u2028\u2029]+")
_CRLF_RE = re.compile(r"\r\n?|[\v\f\x1c-\x1e\x85\u2028\u2029]")


def _dropped(ch: str) -> bool:
    # Cc: C0/C1 controls (NUL included), Cf: zero-width, bidi, BOM, soft hyphen …, Cs: lone surrogates.
    return unicodedata.category(ch) in ("Cc", "Cf", "Cs")


def clean_line(value: str) -> str:
    """One line: breaks and tabs become a space, other controls and format characters go, ends trimmed."""
    value = _LINE_BREAKS_RE.sub(" ", value or "")
    return "".join(ch for ch in value if not _dropped(ch)).strip()


def clean_text(value: str) -> str:
    """Several lines: breaks kept as ``\\n``, tabs become a space, other controls and format characters go."""
    value = _CRLF_RE.sub("\n", value or "").replace("\t", " ")
    value = "".join(ch for ch in value if ch == "\n" or not _dropped(ch))
    return value.strip()


def is_blank(value: str) -> bool:
    """True when nothing visible is left: only whitespace, format characters and fillers."""
    return all(ch.isspace() or _dropped(ch) or ch in _INVISIBLE_LETTERS for ch in value or "")


def clean_input(value: str, *, multiline: bool = False) -> str:
    value = clean_text(value) if multiline else clean_line(value)
    return "" if is_blank(value) else value


def _extra_validators(field: models.Field) -> list:
    """The model field's own validators (phone, credit code …), not the length ones the input adds itself."""
    skip = (django_validators.MaxLengthValidator, django_validators.ProhibitNullCharactersValidator)
    return [v for v in field.validators if not isinstance(v, skip)]


# --- DRF -------------------------------------------------------------------------------------------------


class LineField(serializers.CharField):
    """A one-line text input (see the module docstring)."""

    multiline = False
    default_error_messages = {  # "required" and "null" stay DRF's own (translated) messages, as everywhere
        "blank": BLANK_MESSAGE,
        "invalid": INVALID_MESSAGE,
        "max_length": DRF_MAX_LENGTH_MESSAGE,
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("trim_whitespace", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, str | int | float):
            self.fail("invalid")
        value = clean_input(str(data), multiline=self.multiline)
        if not value and not self.allow_blank:
            self.fail("blank")
        return value


class MultiLineField(LineField):
    """A text of several lines (see the module docstring)."""

    multiline = True


def _bounded_kwargs(field: models.Field, kw: dict) -> dict:
    kw.setdefault("label", field.verbose_name)
    if getattr(field, "max_length", None) and "max_length" not in kw:
        kw["max_length"] = field.max_length
    if field.blank:
        kw.setdefault("allow_blank", True)
    kw.setdefault("validators", _extra_validators(field))
    if kw.get("allow_blank") and "required" not in kw and "default" not in kw:
        kw["required"] = False
        kw["default"] = ""
    return kw


def _column(model: type[models.Model], name: str) -> models.Field:
    """The model's own column ``name`` (a reverse relation feeds no input)."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is not a column")
    return field


def model_char(model: type[models.Model], name: str, *, multiline: bool | None = None, **kw) -> LineField:
    """The serializer field of an input that feeds ``model.name``: its length, blankness and validators."""
    field = _column(model, name)
    if multiline is None:
        multiline = isinstance(field, models.TextField)
    return (MultiLineField if multiline else LineField)(**_bounded_kwargs(field, kw))


def model_choice(model: type[models.Model], name: str, **kw) -> serializers.ChoiceField:
    field = _column(model, name)
    kw.setdefault("label", field.verbose_name)
    kw.setdefault("choices", field.choices)
    if field.has_default() and "default" not in kw and "required" not in kw:
        kw["default"] = field.get_default()
    return serializers.ChoiceField(**kw)


RECORD_ID_BOUNDS = {"min_value": 1, "max_value": 2**63 - 1}  # a BigAutoField's ids


def path_id(value) -> int:
    """A record's id read from the address (a route's ``<pk>``): a whole number within a BigAutoField's range,
    else a 404, as DRF's ``get_object`` answers an id it cannot read."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not RECORD_ID_BOUNDS["min_value"] <= number <= RECORD_ID_BOUNDS["max_value"]:
        raise Http404
    return number


def record_id(**kw) -> serializers.IntegerField:
    """The id of a record named in a body: a positive integer the database can compare (else a 400)."""
    return serializers.IntegerField(**{**RECORD_ID_BOUNDS, **kw})


class LockedRecordField(serializers.IntegerField):
    """The id of a ``model`` record named in a body, handed on as a bare reference (``model(pk=id)``) without
    reading it: for an action that reads the record itself under its row lock and says when it is missing or
    closed (a second read first would only cost a query). Bounded as ``record_id``."""

    def __init__(self, model: type[models.Model], **kw):
        self.model = model
        super().__init__(**{**RECORD_ID_BOUNDS, **kw})

    def run_validation(self, data=serializers.empty):
        value = super().run_validation(data)  # an integer within bounds (or None, or empty when not given)
        return self.model(pk=value) if isinstance(value, int) else value


def _int_range(field: models.Field, kw: dict) -> dict:
    kw.setdefault("label", field.verbose_name)
    for validator in field.validators:
        if isinstance(validator, django_validators.MinValueValidator):
            kw["min_value"] = max(kw.get("min_value", validator.limit_value), validator.limit_value)
        elif isinstance(validator, django_validators.MaxValueValidator):
            kw["max_value"] = min(kw.get("max_value", validator.limit_value), validator.limit_value)
    return kw


def model_int(model: type[models.Model], name: str, **kw) -> serializers.IntegerField:
    """A number that feeds ``model.name``, within the column's range (and the model's own validators)."""
    field = _column(model, name)
    if field.has_default() and "default" not in kw and "required" not in kw:
        kw["default"] = field.get_default()
    return serializers.IntegerField(**_int_range(field, kw))


class InputModelSerializer(ModelSerializer):
    """A ModelSerializer whose text columns are cleaned: CharField → one line, TextField → several lines."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: LineField,
        models.TextField: MultiLineField,
        models.DateTimeField: DateTimeField,  # no OverflowError 500 at the calendar's edges (alliance.core.api_fields)
    }


# --- Django forms ----------------------------------------------------------------------------------------


class LineFormField(forms.CharField):
    """A one-line text input of a form (see the module docstring)."""

    multiline = False
    default_error_messages = {"required": BLANK_MESSAGE, "max_length": MAX_LENGTH_MESSAGE}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for validator in self.validators:
            if isinstance(validator, django_validators.MaxLengthValidator):
                validator.message = MAX_LENGTH_MESSAGE

    def to_python(self, value):
        if value in self.empty_values:
            return self.empty_value
        value = clean_input(str(value), multiline=self.multiline)
        return value or self.empty_value


class MultiLineFormField(LineFormField):
    multiline = True
    widget = forms.Textarea


def form_char(model: type[models.Model], name: str, *, multiline: bool | None = None, **kw) -> LineFormField:
    """The form field of an input that feeds ``model.name``: its length, blankness and validators."""
    field = _column(model, name)
    if multiline is None:
        multiline = isinstance(field, models.TextField)
    kw.setdefault("label", field.verbose_name)
    if getattr(field, "max_length", None):
        kw.setdefault("max_length", field.max_length)
    kw.setdefault("required", not field.blank)
    kw.setdefault("validators", _extra_validators(field))
    if field.help_text:
        kw.setdefault("help_text", field.help_text)
    return (MultiLineFormField if multiline else LineFormField)(**kw)


def form_choice(model: type[models.Model], name: str, **kw) -> forms.ChoiceField:
    field = _column(model, name)
    kw.setdefault("label", field.verbose_name)
    kw.setdefault("choices", field.choices)
    return forms.ChoiceField(**kw)


def form_int(model: type[models.Model], name: str, **kw) -> forms.IntegerField:
    """The form field of a number that feeds ``model.name``, within the column's range."""
    return forms.IntegerField(**_int_range(_column(model, name), kw))


def input_formfield(db_field: models.Field, **kwargs):
    """``Meta.formfield_callback`` of ModelForms: text columns get the cleaned fields above."""
    if isinstance(db_field, models.CharField | models.TextField) and not db_field.choices:
        multiline = isinstance(db_field, models.TextField)
        kwargs.setdefault("form_class", MultiLineFormField if multiline else LineFormField)
        field = db_field.formfield(**kwargs)
        if field is not None and multiline and not isinstance(field.widget, forms.Textarea):
            field.widget = forms.Textarea()
        return field
    return db_field.formfield(**kwargs)


def valid_data(serializer_class: type[serializers.Serializer], request, **kwargs) -> dict:
    """The validated body of an API request read with ``serializer_class``; a field error is a 400."""
    body = serializer_class(data=request.data, **kwargs)
    body.is_valid(raise_exception=True)
    return body.validated_data


def add_errors(form: forms.Form, exc: ValidationError, aliases: dict | None = None) -> None:
    """An action's refusal shown on the form that fed it: each message under its field (``aliases`` maps the
    action's names to the form's), or above the form when the form has no such field."""
    aliases = aliases or {}
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for field, errors in exc.message_dict.items():
        target = aliases.get(field, field)
        for error in errors:
            form.add_error(target if target in form.fields else None, error)


def submit_form(request, form: forms.Form, call, done: str, aliases: dict | None = None):
    """A page's form handed to an action: once a POST is valid, ``call(form.cleaned_data)``; its refusal is shown
    on the form (:func:`add_errors` with ``aliases``), its success as the message ``done``. Returns what the action
    made, or None (not posted, not valid or refused: the page shows the form again)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        made = call(form.cleaned_data)
    except ValidationError as exc:
        add_errors(form, exc, aliases)
        return None
    messages.success(request, done)
    return made
