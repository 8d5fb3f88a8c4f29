"""Portal and workspace forms of the three lists."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.core.inputs import form_char, input_formfield
from alliance.core.photos import PhotosField
from projects.models import Category, Claim, ProgressReport, Resource, Wish


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
