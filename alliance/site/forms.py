from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from grids.models import GridNode

_tel = {"inputmode": "tel", "autocomplete": "tel"}
_code = {"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*", "maxlength": "6"}


class PhoneForm(forms.Form):
    """Step one of registration and of the password reset: the mobile number to text a code to."""

    phone = forms.CharField(label=_("手机号码"), max_length=20, widget=forms.TextInput(attrs=_tel))


class _NewPasswordMixin:
    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            raise ValidationError({"password2": _("两次输入的密码不一致。")})
        return data


def _password_fields():
    widget = forms.PasswordInput(attrs={"autocomplete": "new-password"})
    return (
        forms.CharField(label=_("密码"), widget=widget),
        forms.CharField(label=_("确认密码"), widget=widget),
    )


class RegisterForm(_NewPasswordMixin, forms.Form):
    """Step two of registration: the code texted to the number, then the account."""

    code = forms.CharField(label=_("短信验证码"), max_length=6, widget=forms.TextInput(attrs=_code))
    display_name = forms.CharField(label=_("姓名或称呼"), max_length=50, required=False)
    grid_node = forms.ModelChoiceField(
        label=_("所在社区"),
        queryset=GridNode.objects.communities().select_related("parent").order_by("path"),
        required=False,
        empty_label=_("（暂不选择）"),
    )
    password1, password2 = _password_fields()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid_node"].label_from_instance = lambda node: f"{node.parent.name} · {node.name}"


class ResetPasswordForm(_NewPasswordMixin, forms.Form):
    code = forms.CharField(label=_("短信验证码"), max_length=6, widget=forms.TextInput(attrs=_code))
    password1, password2 = _password_fields()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].label = _("新密码")
        self.fields["password2"].label = _("确认新密码")


class MicroGridChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, node):
        return node.name


class ProfileForm(forms.Form):
    """The signed-in person's own profile; the grid pair only for residents and party members."""

    display_name = forms.CharField(label=_("姓名或称呼"), max_length=50, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False, widget=forms.TextInput(attrs=_tel))
    community = forms.ModelChoiceField(
        label=_("所在社区"),
        queryset=GridNode.objects.communities().select_related("parent").order_by("path"),
        required=False,
        empty_label=_("（暂不选择）"),
    )
    micro_grid = MicroGridChoiceField(
        label=_("所在微网格"),
        queryset=GridNode.objects.micro_grids().select_related("parent").order_by("path"),
        required=False,
        empty_label=_("（不选择微网格）"),
        help_text=_("先选社区，再选该社区下的微网格（可不选）。"),
    )

    def __init__(self, *args, user, **kwargs):
        self.grid_editable = user.role in ("resident", "party_member")
        node = user.grid_node
        initial = {"display_name": user.display_name, "phone": user.phone}
        if node is not None and node.level == GridNode.Level.MICRO:
            initial.update(community=node.parent_id, micro_grid=node.pk)
        elif node is not None and node.level == GridNode.Level.COMMUNITY:
            initial.update(community=node.pk)
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["community"].label_from_instance = lambda n: f"{n.parent.name} · {n.name}"
        if not self.grid_editable:
            del self.fields["community"], self.fields["micro_grid"]
        else:
            # The micro-grid choices, grouped by their community (portal.js shows only the chosen one's).
            grids = list(self.fields["micro_grid"].queryset)
            groups: dict = {}
            for grid in grids:
                groups.setdefault(grid.parent.name, []).append((grid.pk, grid.name))
            self.fields["micro_grid"].choices = [("", self.fields["micro_grid"].empty_label), *groups.items()]
            self.fields["micro_grid"].widget.attrs["data-parent-select"] = "id_community"
            self.fields["micro_grid"].widget.attrs["data-parents"] = ",".join(f"{g.pk}:{g.parent_id}" for g in grids)

    def clean(self):
        data = super().clean()
        if not self.grid_editable:
            return data
        community, micro = data.get("community"), data.get("micro_grid")
        if micro is not None and (community is None or micro.parent_id != community.pk):
            self.add_error("micro_grid", _("所选微网格不属于所选社区，请先选择社区。"))
        data["grid_node"] = micro or community
        return data
