"""Forms of the services pages; validation of rules stays in services.actions."""

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone

from alliance.core.inputs import form_char, form_choice, form_int, input_formfield
from alliance.core.photos import PhotosField
from alliance.core.querying import DateField, QueryForm
from grids.models import GridNode
from projects.models import Category
from services.models import Booking, Issue, IssueEvent, MenuItem, Order, OrderEvent, ReplyTemplate


class OrderForm(forms.Form):
    wanted_on = forms.DateField(
        label="期望日期", required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text="不填则为今天"
    )
    contact_phone = form_char(Order, "contact_phone", help_text="不填则用账号手机号")
    address = form_char(Order, "address")
    text = form_char(Order, "text", label="补充说明", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class FreeOrderForm(OrderForm):
    category = forms.ModelChoiceField(
        label="服务类别", queryset=Category.objects.filter(parent__isnull=True, is_active=True), empty_label="请选择"
    )
    text = form_char(
        Order, "text", label="您需要什么服务", max_length=1000, required=True, widget=forms.Textarea(attrs={"rows": 4})
    )
    field_order = ["category", "text", "wanted_on", "contact_phone", "address"]


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="评分", coerce=int, choices=[(i, "★" * i) for i in range(5, 0, -1)], widget=forms.RadioSelect
    )
    comment = form_char(Order, "comment")


class IssueForm(forms.Form):
    title = form_char(Issue, "title")
    text = form_char(Issue, "text", max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))
    grid_node = forms.ModelChoiceField(
        label="所在社区/微网格",
        queryset=GridNode.objects.filter(level__gte=2).order_by("path"),
        required=False,
        help_text="不选则为您登记的所在网格",
    )
    location = form_char(Issue, "location")
    contact_phone = form_char(Issue, "contact_phone")
    photos = PhotosField(label="照片（最多3张）", required=False, accept="image/jpeg,image/png,image/webp")

    def __init__(self, *args, staff=False, **kwargs):
        super().__init__(*args, **kwargs)
        if staff:
            self.fields["channel"] = form_choice(Issue, "channel")


class MoveIssueForm(forms.Form):
    template = forms.ModelChoiceField(label="答复模板", queryset=ReplyTemplate.objects.none(), required=False)
    text = form_char(IssueEvent, "text", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, step=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = ReplyTemplate.objects.filter(step=step)


class SlotForm(forms.Form):
    """The slot picked in the room's slot list (its own radio buttons): ISO 8601, made aware if naive."""

    starts_at = forms.DateTimeField(
        error_messages={"required": "请选择时段。", "invalid": "所选时段无效，请重新选择。"}
    )

    def clean_starts_at(self):
        value = self.cleaned_data["starts_at"]
        try:  # a time at the edge of the calendar cannot be moved into local time or made an hour long
            timezone.localtime(value + datetime.timedelta(hours=1))
            timezone.localtime(value - datetime.timedelta(days=1))
        except (OverflowError, ValueError):
            raise forms.ValidationError("所选时段无效，请重新选择。") from None
        return value


class BookingForm(forms.Form):
    purpose = form_char(Booking, "purpose")
    attendees = form_int(Booking, "attendees", min_value=1, initial=10)


class DateForm(QueryForm):
    """The day a room's slots are shown for (?date=), bounded (alliance.core.querying)."""

    date = DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))

    def day(self) -> datetime.date:
        if self.is_valid() and self.cleaned_data.get("date"):
            return self.cleaned_data["date"]
        return timezone.localdate()


class MenuItemForm(forms.ModelForm):
    """A unit's own service item; the scope is limited to the unit's street."""

    class Meta:
        model = MenuItem
        formfield_callback = input_formfield
        fields = ["title", "category", "description", "grid_scope", "availability", "capacity_per_day", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(is_active=True).select_related("parent")
        if unit is not None:
            node = unit.grid_node
            # The street, its communities, and the unit's own node.
            self.fields["grid_scope"].queryset = GridNode.objects.filter(
                Q(pk__in=[node.street_id, *node.ancestor_ids]) | Q(parent_id=node.street_id)
            ).order_by("path")


class ReasonForm(forms.Form):
    """A unit's reason to decline an order or a worker's reason to escalate an issue."""

    reason = form_char(OrderEvent, "note", label="原因")


class MatterTitleForm(forms.Form):
    """The title of the matter an issue becomes (empty: the issue's own title)."""

    title = form_char(Issue._meta.get_field("matter").related_model, "title", required=False)
