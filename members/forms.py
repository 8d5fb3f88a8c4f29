"""Forms of the members app's pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from members.actions import UNIT_INTRODUCTION_MAX
from members.models import MemberUnit


def _max(name: str) -> int:
    return MemberUnit._meta.get_field(name).max_length


class UnitProfileForm(forms.Form):
    """What a unit keeps itself; everything is checked again by members.actions.update_unit_profile."""

    contact_name = forms.CharField(label=_("联系人"), max_length=_max("contact_name"))
    contact_phone = forms.CharField(
        label=_("联系电话"), max_length=_max("contact_phone"), help_text=_("手机或固定电话，如 0531-88881234。")
    )
    address = forms.CharField(label=_("地址"), max_length=_max("address"), required=False)
    introduction = forms.CharField(
        label=_("单位简介"),
        max_length=UNIT_INTRODUCTION_MAX,
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    logo = forms.FileField(label=_("单位标识"), required=False, help_text=_("JPG、PNG 或 WEBP 图片，不超过 2 MB。"))
    remove_logo = forms.BooleanField(label=_("删除现有标识"), required=False)

    PROFILE_FIELDS = ("contact_name", "contact_phone", "address", "introduction")

    def changes(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.PROFILE_FIELDS}
        if self.cleaned_data.get("logo"):
            data["logo"] = self.cleaned_data["logo"]
        elif self.cleaned_data.get("remove_logo"):
            data["logo"] = None
        return data
