"""The API's date-time field: every ``models.DateTimeField`` of a ModelSerializer (mapped in
``AllianceConfig.ready``) and the date-times the API answers with.

DRF's own field has two holes at the edges of the calendar:
- a naive value whose move into the local zone overflows (``0001-01-01T00:00:00``) raises
  ``OverflowError`` (a 500) instead of its "out of range" message;
- before 1901 Asia/Shanghai is local mean time, +08:05:43, so a value is written with an offset in
  seconds, which is no RFC 3339 ``date-time`` as the schema declares: such values are written in UTC.
"""

import datetime
import re
import threading

from django.utils.functional import cached_property
from rest_framework import serializers

OFFSET_IN_SECONDS = re.compile(r"[+-]\d\d:\d\d:\d\d(\.\d+)?$")


class DateTimeField(serializers.DateTimeField):
    def enforce_timezone(self, value):
        try:
            return super().enforce_timezone(value)
        except OverflowError:
            self.fail("overflow")

    def to_representation(self, value):
        text = super().to_representation(value)
        if isinstance(text, str) and OFFSET_IN_SECONDS.search(text):
            return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
        return text


class ChoiceLabelField(serializers.CharField):
    """The human label of a choice field's value, as ``get_<field>_display`` says it (a value outside the choices
    is written as it is), read-only.

    The labels are looked up in a dict made once per field from the model field's choices, and translated as they
    are written. ``get_<field>_display`` makes every label hashable again on every call (``make_hashable`` over the
    choices, translating each lazy label to hash it): a tenth of the work of reporting an issue, whose answer
    names six labels."""

    def __init__(self, model_field, **kwargs):
        self.labels = dict(model_field.flatchoices)
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return str(self.labels.get(value, value))


# A ModelSerializer where ``<field>_label`` named in ``Meta.fields`` is the human label of the choice field
# ``<field>`` (``ChoiceLabelField``), read-only: ``fields = ["status", "status_label"]``. (No docstring: the
# schema would take it as the description of every serializer without its own.)
class ModelSerializer(serializers.ModelSerializer):
    def build_field(self, field_name, info, model_class, nested_depth):
        choice = field_name.removesuffix("_label")
        model_field = info.fields.get(choice)
        if choice != field_name and field_name not in info.fields and getattr(model_field, "choices", None):
            return ChoiceLabelField, {"model_field": model_field, "source": model_field.attname}
        return super().build_field(field_name, info, model_class, nested_depth)


_built = threading.local()  # per thread: {serializer class: its bound fields}


class FieldsBuiltOnce:
    """Mixed in before a serializer whose fields are built once per class and thread and shared by every instance:
    the answers of the API (ModelSerializers) and the bodies of its writes. DRF builds them again for every instance
    (each model field's kwargs, validators and relations, then a deep copy of the declared ones, querysets
    included): a third of a write's answer, two thirds of reading an order's or an issue's body.

    A field reaches its serializer, and through it the request's context, by ``parent``: each instance makes
    itself the parent of the shared fields before it writes a row or reads a body (a field keeps nothing of the
    value it read: errors and values stay with the serializer). One thread uses one instance at a time; a
    thread of its own never sees another's fields. Only for serializers whose fields do not depend on the
    instance or context, and that no code changes after they are built."""

    @cached_property
    def fields(self):
        kept = _built.__dict__.setdefault("fields", {})
        fields = kept.get(type(self))
        if fields is None:
            fields = kept[type(self)] = super().fields
        return fields

    def _adopt_fields(self) -> None:
        for field in self.fields.values():
            field.parent = self

    def to_representation(self, instance):
        self._adopt_fields()
        return super().to_representation(instance)

    def run_validation(self, data=serializers.empty):
        self._adopt_fields()
        return super().run_validation(data)


def read_text(source: str) -> serializers.CharField:
    """A read-only text taken from an attribute path: ``unit_name = read_text("unit.name")``."""
    return serializers.CharField(source=source, read_only=True)
