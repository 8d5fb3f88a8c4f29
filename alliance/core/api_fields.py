"""The API's date-time field: every ``models.DateTimeField`` of a ModelSerializer (mapped in
``AllianceConfig.ready``) and the date-times the API answers with.

DRF's own field has two holes at the edges of the calendar:
- a naive value whose move into the local zone overflows (``0001-01-01T00:00:00``) raises
  ``OverflowError`` (a 500) instead of its "out of range" message;
- before 1901 Asia/Shanghai is local mean time, +08:05:43, so a value is written with an offset in
  seconds, which is no RFC 3339 ``date-time`` as the schema declares: such values are written in UTC.
"""

import copy
import datetime
import re

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


# A ModelSerializer where ``<field>_label`` named in ``Meta.fields`` is the human label of the choice field
# ``<field>`` (``get_<field>_display``), read-only: ``fields = ["status", "status_label"]``. (No docstring: the
# schema would take it as the description of every serializer without its own.)
class ModelSerializer(serializers.ModelSerializer):
    def build_field(self, field_name, info, model_class, nested_depth):
        choice = field_name.removesuffix("_label")
        if choice != field_name and field_name not in info.fields and getattr(info.fields.get(choice), "choices", None):
            return serializers.CharField, {"source": f"get_{choice}_display", "read_only": True}
        return super().build_field(field_name, info, model_class, nested_depth)


class FieldsBuiltOnce:
    """Mixed in before a ModelSerializer: the model's fields are introspected once per class (DRF builds them
    again for every instance: each model field's kwargs, validators, relations) and each instance gets fresh
    copies, as DRF copies its declared fields. Only for serializers whose fields do not depend on the instance
    or context (an answer's serializer on a busy write path)."""

    def get_fields(self):
        built = type(self).__dict__.get("_fields_built_once")
        if built is None:
            built = super().get_fields()
            type(self)._fields_built_once = built
        return copy.deepcopy(built)


def read_text(source: str) -> serializers.CharField:
    """A read-only text taken from an attribute path: ``unit_name = read_text("unit.name")``."""
    return serializers.CharField(source=source, read_only=True)
