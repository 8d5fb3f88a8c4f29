"""Forms of pairings (结对共建): a service delivered under one (workspace and admin) and its yearly review (admin).
Everything is checked again by members.actions.pairings."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance.core.inputs import form_char
from members.models import Pairing, PairingReview, PairingService


class ServiceForm(forms.Form):
    served_on = forms.DateField(
        label=_("服务日期"),
        initial=timezone.localdate,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    side = forms.ChoiceField(label=_("服务方"), choices=Pairing.Side.choices)
    what = form_char(PairingService, "what", label=_("服务内容"))
    people_served = forms.IntegerField(label=_("服务人数"), min_value=0, max_value=100000, initial=0)
    hours = forms.DecimalField(label=_("服务时长（小时）"), min_value=0, max_value=1000, decimal_places=1, initial=0)
    link_text = form_char(PairingService, "link_text", label=_("相关链接或说明"))


class ReviewForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    rating = forms.IntegerField(label=_("评议等级（1–5 分）"), min_value=1, max_value=5)
    summary = form_char(PairingReview, "summary", label=_("评议意见"), max_length=2000)
