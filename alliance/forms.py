from django import forms
from django.core.exceptions import ValidationError

from grids.models import GridNode


class RegisterForm(forms.Form):
    phone = forms.CharField(
        label="手机号码", max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"})
    )
    display_name = forms.CharField(label="姓名或称呼", max_length=50, required=False)
    grid_node = forms.ModelChoiceField(
        label="所在社区",
        queryset=GridNode.objects.communities().select_related("parent").order_by("path"),
        required=False,
        empty_label="(暂不选择)",
    )
    password1 = forms.CharField(label="密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label="确认密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid_node"].label_from_instance = lambda node: f"{node.parent.name} · {node.name}"

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            raise ValidationError({"password2": "两次输入的密码不一致。"})
        return data
