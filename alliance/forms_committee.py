"""Forms of the joint committee's workspace pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.models import Committee


class RaiseMatterForm(forms.Form):
    committee = forms.ModelChoiceField(label=_("提交给"), queryset=Committee.objects.none())
    title = forms.CharField(label=_("议题"), max_length=200)
    description = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 5}), required=False)

    def __init__(self, *args, committees=None, **kwargs):
        super().__init__(*args, **kwargs)
        if committees is not None:
            self.fields["committee"].queryset = committees


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("答复"), choices=[("attend", _("参加")), ("decline", _("不参加"))])
