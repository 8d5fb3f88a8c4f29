"""Portal and workspace forms of the three lists."""

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


class WishForm(forms.Form):
    title = form_char(Wish, "title", label=_("我的心愿"))
    description = form_char(Wish, "description", label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}))


class ThanksForm(forms.Form):
    thanks = form_char(Wish, "thanks", required=True)
