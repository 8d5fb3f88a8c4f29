"""Forms of the joint committee's workspace pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.committee.models import Committee, Invitation, Matter
from alliance.core.inputs import form_char


class RaiseMatterForm(forms.Form):
    committee = forms.ModelChoiceField(label=_("提交给"), queryset=Committee.objects.none())
    title = form_char(Matter, "title")
    description = form_char(Matter, "description", widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, committees=None, **kwargs):
        super().__init__(*args, **kwargs)
        if committees is not None:
            self.fields["committee"].queryset = committees


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("答复"),
        choices=[(a.value, a.label) for a in (Invitation.Answer.ATTEND, Invitation.Answer.DECLINE)],
    )
