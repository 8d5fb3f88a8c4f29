"""The follow form (phone first): the area, the topics as boxes, the frequency and the channel as radios. The rules
(a street is not followed, the channel needs its address) stay in actions.follows."""

from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.core.feeds import Topic
from alliance.core.querying import IdField, QueryForm
from alliance.following.models import DigestChannel, Frequency
from grids.models import GridNode


class NewFollowQuery(QueryForm):
    node = IdField(label=_("网格"))


class FollowForm(forms.Form):
    node = forms.ModelChoiceField(
        label=_("关注的社区或微网格"), queryset=GridNode.objects.none(), empty_label=_("请选择社区或微网格")
    )
    topics = forms.MultipleChoiceField(
        label=_("想了解的内容"),
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一项关注内容。")},
    )
    frequency = forms.ChoiceField(
        label=_("推送频率"), choices=Frequency.choices, widget=forms.RadioSelect, initial=Frequency.WEEKLY
    )
    channel = forms.ChoiceField(
        label=_("接收方式"), choices=DigestChannel.choices, widget=forms.RadioSelect, initial=DigestChannel.EMAIL
    )

    def __init__(self, *args, with_node: bool = True, street_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_node:
            del self.fields["node"]
            return
        # Communities and micro-grids, in tree order, named with what they belong to (1 query); those of one
        # street when it is known (the area's or the person's): a city's list would be thousands long.
        nodes = GridNode.objects.filter(level__gte=GridNode.Level.COMMUNITY).select_related("parent")
        node = self.fields["node"]
        node.queryset = nodes.filter(street_id=street_id) if street_id else nodes
        node.label_from_instance = lambda n: f"{n.parent.name} · {n.name}" if n.parent else n.name
        node.error_messages["invalid_choice"] = _("只能关注社区或微网格。")
