"""Forms of the services pages; validation of rules stays in services.actions."""

import datetime

from django import forms
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.core.inputs import form_char, form_choice, form_int, input_formfield
from alliance.core.photos import PhotosField
from alliance.core.querying import DateField, QueryForm, YearMonthField
from grids.models import GridNode
from projects.models import Category
from services.models import Booking, Issue, IssueEvent, MenuItem, Order, OrderEvent, ReplyTemplate


class OrderForm(forms.Form):
    wanted_on = forms.DateField(
        label=gettext_lazy("期望日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("不填则为今天"),
    )
    contact_phone = form_char(Order, "contact_phone", help_text=gettext_lazy("不填则用账号手机号"))
    address = form_char(Order, "address")
    text = form_char(
        Order, "text", label=gettext_lazy("补充说明"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class FreeOrderForm(OrderForm):
    category = forms.ModelChoiceField(
        label=gettext_lazy("服务类别"),
        queryset=Category.objects.filter(parent__isnull=True, is_active=True),
        empty_label=gettext_lazy("请选择"),
    )
    text = form_char(
        Order,
        "text",
        label=gettext_lazy("您需要什么服务"),
        max_length=1000,
        required=True,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    field_order = ["category", "text", "wanted_on", "contact_phone", "address"]


# What each number of stars says (the star rating's names for screen readers, and its caption).
STAR_WORDS = {
    1: gettext_lazy("很不满意"),
    2: gettext_lazy("不满意"),
    3: gettext_lazy("一般"),
    4: gettext_lazy("满意"),
    5: gettext_lazy("非常满意"),
}


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=gettext_lazy("评分"),
        coerce=int,
        choices=[(i, format_lazy(gettext_lazy("{n}星：{word}"), n=i, word=word)) for i, word in STAR_WORDS.items()],
        widget=forms.RadioSelect,
    )
    comment = form_char(Order, "comment")


class GroupedByParent(ModelChoiceIterator):
    """Micro-grids under an option group per community, read when the form is drawn (one query)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict = {}
        for node in self.queryset:
            groups.setdefault(node.parent.name, []).append(self.choice(node))
        yield from groups.items()


class ParentSelect(forms.Select):
    """A select whose options are narrowed by a parent select (portal.js: ``data-parent-select``,
    ``data-parents="child:parent,..."``), both worked out when it is drawn, not when the form is made."""

    def __init__(self, *args, parent_id: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent_id = parent_id

    def get_context(self, name, value, attrs):
        self.choices = list(iter(self.choices))  # one query (no count first), read below and by the options
        pairs = [
            f"{option.value}:{option.instance.parent_id}"
            for _group, options in self.choices
            if isinstance(options, list)
            for option, _label in options
        ]
        attrs = {**(attrs or {}), "data-parent-select": self.parent_id, "data-parents": ",".join(pairs)}
        return super().get_context(name, value, attrs)


class MicroGridField(forms.ModelChoiceField):
    iterator = GroupedByParent

    def label_from_instance(self, node):
        return node.name


class MapPointFields(forms.Form):
    """A point picked on the map picker (data-map="picker", which also fills #id_community and #id_micro_grid):
    both coordinates or neither."""

    lat = forms.DecimalField(
        required=False, min_value=-90, max_value=90, max_digits=9, decimal_places=6, widget=forms.HiddenInput
    )
    lng = forms.DecimalField(
        required=False, min_value=-180, max_value=180, max_digits=9, decimal_places=6, widget=forms.HiddenInput
    )

    def clean(self):
        data = super().clean()
        if (data.get("lat") is None) != (data.get("lng") is None):
            self.add_error(None, _("地图上的位置不完整，请重新点选。"))
        return data


class IssueForm(MapPointFields):
    """A resident's report: the place picked on the map (lat/lng, which fills the micro-grid) or chosen in two
    steps, community then micro-grid (portal.js narrows the second to the first). Staff recording an issue in
    the workspace choose the grid from one list of their subtree."""

    title = form_char(Issue, "title")
    text = form_char(Issue, "text", max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))
    community = forms.ModelChoiceField(
        label=gettext_lazy("所在社区"),
        queryset=GridNode.objects.none(),
        required=False,
        empty_label=gettext_lazy("请选择社区"),
    )
    micro_grid = MicroGridField(
        label=gettext_lazy("所在微网格"),
        widget=ParentSelect(parent_id="id_community"),
        queryset=GridNode.objects.none(),
        required=False,
        empty_label=gettext_lazy("不清楚（由社区分派）"),
        help_text=gettext_lazy("在地图上点选位置会自动填好；都不选则为您登记的所在网格。"),
    )
    location = form_char(Issue, "location")
    contact_phone = form_char(Issue, "contact_phone")
    photos = PhotosField(
        label=gettext_lazy("照片（最多3张）"), required=False, accept="image/jpeg,image/png,image/webp"
    )
    # Which button sent the form (no JS needed): "check" looks for similar public issues first and shows them
    # if any (the report is sent at once otherwise), "send" sends it whatever is similar.
    step = forms.ChoiceField(
        choices=[("check", gettext_lazy("提交")), ("send", gettext_lazy("仍要提交"))],
        required=False,
        widget=forms.HiddenInput,
    )
    is_public = forms.BooleanField(
        label=gettext_lazy("公开到说事墙"),
        required=False,
        help_text=gettext_lazy(
            "公开问题、位置和办理进度，邻居遇到同样问题可以点“同样遇到”；不公开您的姓名、电话和照片。"
            "请不要在问题描述里写姓名、电话和门牌号。"
        ),
    )

    def __init__(self, *args, staff=False, street=None, **kwargs):
        super().__init__(*args, **kwargs)
        if staff:
            del self.fields["community"], self.fields["micro_grid"]
            self.fields["grid_node"] = forms.ModelChoiceField(
                label=_("所在社区/微网格"),
                queryset=GridNode.objects.filter(level__gte=2).order_by("path"),
                required=False,
                help_text=_("不选则为您所在的网格"),
            )
            self.fields["channel"] = form_choice(Issue, "channel")
            del self.fields["is_public"], self.fields["step"]  # the reporter's own choice, not the recorder's
            return
        # The resident's own street when known (a city's list would be thousands long), else every street.
        nodes = GridNode.objects.select_related("parent").order_by("path")
        if street is not None:
            nodes = nodes.filter(street_id=street)
        self.fields["community"].queryset = nodes.filter(level=GridNode.Level.COMMUNITY)
        self.fields["community"].label_from_instance = lambda n: f"{n.parent.name} · {n.name}"
        self.fields["micro_grid"].queryset = nodes.filter(level=GridNode.Level.MICRO)

    def clean(self):
        data = super().clean()
        if "grid_node" in self.fields:
            return data
        community, micro = data.get("community"), data.get("micro_grid")
        if micro is not None and community is not None and micro.parent_id != community.pk:
            self.add_error("micro_grid", _("所选微网格不属于所选社区，请先选择社区。"))
        data["grid_node"] = micro or community
        return data


class MoveIssueForm(forms.Form):
    template = forms.ModelChoiceField(
        label=gettext_lazy("答复模板"), queryset=ReplyTemplate.objects.none(), required=False
    )
    text = form_char(IssueEvent, "text", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, step=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = ReplyTemplate.objects.filter(step=step)


class SlotForm(forms.Form):
    """The slot picked in the room's slot list (its own radio buttons): ISO 8601, made aware if naive."""

    starts_at = forms.DateTimeField(
        error_messages={"required": gettext_lazy("请选择时段。"), "invalid": gettext_lazy("所选时段无效，请重新选择。")}
    )

    def clean_starts_at(self):
        value = self.cleaned_data["starts_at"]
        try:  # a time at the edge of the calendar cannot be moved into local time or made an hour long
            timezone.localtime(value + datetime.timedelta(hours=1))
            timezone.localtime(value - datetime.timedelta(days=1))
        except (OverflowError, ValueError):
            raise forms.ValidationError(_("所选时段无效，请重新选择。")) from None
        return value


class BookingForm(forms.Form):
    purpose = form_char(Booking, "purpose")
    attendees = form_int(Booking, "attendees", min_value=1, initial=10)


class DateForm(QueryForm):
    """The day a room's slots are shown for (?date=), bounded (alliance.core.querying)."""

    date = DateField(label=gettext_lazy("日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def day(self) -> datetime.date:
        if self.is_valid() and self.cleaned_data.get("date"):
            return self.cleaned_data["date"]
        return timezone.localdate()


class WallMonthForm(QueryForm):
    """The month of a station's wall (公示) (?month=YYYY-MM): this month or one of the twelve before it."""

    MONTHS = 13
    month = YearMonthField(label=gettext_lazy("月份"))

    @classmethod
    def months(cls, today: datetime.date | None = None) -> list[tuple[int, int]]:
        today = today or timezone.localdate()
        y, m, out = today.year, today.month, []
        for _month in range(cls.MONTHS):
            out.append((y, m))
            y, m = (y, m - 1) if m > 1 else (y - 1, 12)
        return out

    def clean_month(self):
        value = self.cleaned_data.get("month")
        if value and tuple(value) not in self.months():
            raise forms.ValidationError(_("只能查看本月和此前12个月的公示。"))
        return value

    def selected(self) -> tuple[int, int]:
        return tuple(self.value("month") or self.months()[0])


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

    reason = form_char(OrderEvent, "note", label=gettext_lazy("原因"))


class DeclineForm(forms.Form):
    """A unit's reason to decline an order: required, the resident reads it on the order."""

    reason = form_char(
        OrderEvent,
        "note",
        label=gettext_lazy("婉拒理由"),
        required=True,
        error_messages={"required": gettext_lazy("请填写婉拒理由，居民会在点单上看到。")},
    )


class TakeDownForm(forms.Form):
    """Why staff take an issue off the public board (说事墙): kept on the issue and its timeline."""

    reason = form_char(
        Issue,
        "takedown_reason",
        label=gettext_lazy("撤下原因"),
        required=True,
        error_messages={"required": gettext_lazy("请填写撤下的原因。")},
    )


class MatterTitleForm(forms.Form):
    """The title of the matter an issue becomes (empty: the issue's own title)."""

    title = form_char(Issue._meta.get_field("matter").related_model, "title", required=False)
