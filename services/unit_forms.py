"""Forms of the units' two-way lists in the workspace: an activity at the unit's venue, a recurring station
service. The rules (the unit's own room, the capacity, the time ahead, the station's street) stay in actions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.core.inputs import form_char, input_formfield
from alliance.core.querying import MAX_YEAR, MIN_YEAR
from services.models import Activity, RecurringService, Room, ServiceStation


class LocalDateTimeField(forms.DateTimeField):
    """A moment typed in the page's date-time picker (local time), within the calendar the site accepts."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    default_error_messages = {"invalid": _("请输入有效的时间，例如 2026-05-01 09:00。")}

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"])
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str) and len(value) > 32:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        value = super().to_python(value)
        if value is not None and not MIN_YEAR <= value.year <= MAX_YEAR:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return value


class UnitActivityForm(forms.Form):
    """A unit's activity: at one of its own rooms, or at a place it names."""

    title = form_char(Activity, "title")
    kind = forms.ChoiceField(label=_("活动类型"), choices=Activity.Kind.choices)
    room = forms.ModelChoiceField(
        label=_("本单位场地"), queryset=Room.objects.none(), required=False, empty_label=_("不在本单位场地（填写地点）")
    )
    place = form_char(Activity, "place", label=_("活动地点"), required=False, help_text=_("不在本单位场地时填写。"))
    starts_at = LocalDateTimeField(label=_("开始时间"))
    ends_at = LocalDateTimeField(label=_("结束时间"))
    capacity = forms.IntegerField(
        label=_("名额"), min_value=1, max_value=10000, initial=30, help_text=_("不超过场地容纳人数。")
    )
    points = forms.IntegerField(label=_("签到积分"), min_value=0, max_value=5, initial=2)
    description = form_char(Activity, "description", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = Room.objects.filter(unit=unit, is_active=True).select_related("unit")

    @classmethod
    def initial_of(cls, activity: Activity, room=None) -> dict:
        return {
            "title": activity.title,
            "kind": activity.kind,
            "room": room,
            "place": "" if room else activity.place,
            "starts_at": activity.starts_at,
            "ends_at": activity.ends_at,
            "capacity": activity.capacity,
            "points": activity.points,
            "description": activity.description,
        }


class CancelForm(forms.Form):
    reason = form_char(Activity, "title", label=_("取消原因"), max_length=200)


class RecurringServiceForm(forms.ModelForm):
    """A unit's recurring service at a station of its street (its provider is the unit itself)."""

    class Meta:
        model = RecurringService
        formfield_callback = input_formfield
        fields = [
            "station",
            "title",
            "kind",
            "provider_name",
            "description",
            "frequency",
            "day_of_month",
            "weekday",
            "starts_time",
            "ends_time",
            "capacity",
            "is_active",
            "valid_until",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "starts_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        street = unit.grid_node.street_id if unit is not None else None
        self.fields["station"].queryset = ServiceStation.objects.filter(
            grid_node__street_id=street, is_active=True
        ).order_by("kind", "name")

    def _post_clean(self):
        # The model's checks run in the action (services.actions.recurring), whose refusals come back on the form.
        pass
