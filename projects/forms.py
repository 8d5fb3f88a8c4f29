"""Portal and workspace forms of the three lists."""

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from alliance.core.inputs import form_char, input_formfield
from alliance.core.photos import PhotosField
from grids.models import GridNode
from projects.models import Category, Claim, Need, Pledge, ProgressReport, Project, Resource, Wish


class ResourceForm(forms.ModelForm):
    class Meta:
        model = Resource
        formfield_callback = input_formfield
        fields = ["title", "category", "description", "quantity", "availability", "available_until"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "available_until": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(parent__isnull=False, is_active=True).select_related(
            "parent"
        )


class ClaimForm(forms.Form):
    note = form_char(Claim, "note", widget=forms.Textarea(attrs={"rows": 2}))


class ProgressForm(forms.Form):
    text = form_char(ProgressReport, "text", widget=forms.Textarea(attrs={"rows": 4}))
    photos = PhotosField(label=_("现场照片"), required=False, help_text=_("最多 9 张，每张不超过 5MB"))


class HoursReportForm(ProgressForm):
    """A person's report on a claimed project: the hours served this time and what was done."""

    hours = forms.DecimalField(
        label=_("本次服务时长（小时）"),
        min_value=Decimal("0.5"),
        max_value=Decimal("24"),
        max_digits=3,
        decimal_places=1,
        step_size=Decimal("0.5"),
        help_text=_("0.5 到 24 小时，以半小时计"),
    )
    field_order = ["hours", "text", "photos"]


class WishForm(forms.Form):
    title = form_char(Wish, "title", label=_("我的心愿"))
    description = form_char(Wish, "description", label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}))


class ThanksForm(forms.Form):
    thanks = form_char(Wish, "thanks", required=True)


class UnitNeedForm(forms.ModelForm):
    """A need a unit posts (or edits after it was returned): its grid is the unit's own or one within its street."""

    class Meta:
        model = Need
        formfield_callback = input_formfield
        fields = ["title", "category", "description", "grid_node", "people_affected", "urgency", "wanted_by"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "wanted_by": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {"grid_node": _("默认为本单位所在网格，也可选择本街道内的其他社区或微网格。")}

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(parent__isnull=False, is_active=True).select_related(
            "parent"
        )
        self.fields["people_affected"].max_value = PEOPLE_MAX
        self.fields["people_affected"].validators.append(MaxValueValidator(PEOPLE_MAX))
        nodes = GridNode.objects.none()  # without a unit, no grid to choose
        if unit is not None:
            nodes = GridNode.objects.filter(path__startswith=f"{unit.grid_node.street_id}/").order_by("path")
            if not self.instance.pk:
                self.initial.setdefault("grid_node", unit.grid_node_id)
        self.fields["grid_node"].queryset = nodes


PEOPLE_MAX = 100000
PLEDGE_MAX = Decimal("1000000")


class UnitPledgeForm(forms.Form):
    """A unit's pledge to a crowdfunding project open for pledges: money, or goods at their estimated value."""

    project = forms.ModelChoiceField(label=_("众筹项目"), queryset=Project.objects.none())
    kind = forms.ChoiceField(label=_("认捐类型"), choices=Pledge.Kind.choices, initial=Pledge.Kind.MONEY)
    amount = forms.DecimalField(
        label=_("金额/折合金额（元）"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=PLEDGE_MAX,
        help_text=_("单笔不超过100万元；捐物资时填写折合金额。"),
    )
    goods = form_char(Pledge, "goods", help_text=_("捐物资时填写，如：米面油20份。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.filter(
            crowdfunding_target__isnull=False, status__in=(Project.Status.PUBLISHED, Project.Status.IN_PROGRESS)
        ).order_by("-created_at", "-id")
