"""Forms of the proposals' pages; the rules stay in alliance.proposals.actions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.core.inputs import form_char
from alliance.core.photos import PhotosField
from alliance.core.querying import ChoiceField, QueryForm
from alliance.proposals.models import COMMENT_MAX, TEXT_MAX, Comment, Proposal
from grids.models import GridNode
from grids.querying import GridNodeChoiceField
from services.forms import MapPointFields, MicroGridField, ParentSelect

STAGES = [
    ("published", _("征集支持中")),
    ("raised", _("已提交议事")),
    ("merged", _("已合并")),
]


class ProposalsQuery(QueryForm):
    community = GridNodeChoiceField(
        label=_("社区"), queryset=GridNode.objects.filter(level=GridNode.Level.COMMUNITY), required=False
    )
    stage = ChoiceField(label=_("阶段"), choices=STAGES)


class ProposalForm(MapPointFields):
    """A resident's proposal: what, where (a point on the map, which fills the community and micro-grid, or the
    two chosen in turn), and up to three photos."""

    title = form_char(
        Proposal, "title", label=_("标题"), help_text=_("一句话说清建议，如“3号楼楼道灯不亮，建议更换声控灯”。")
    )
    text = form_char(Proposal, "text", max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 5}))
    community = forms.ModelChoiceField(
        label=_("所在社区"), queryset=GridNode.objects.none(), required=False, empty_label=_("请选择社区")
    )
    micro_grid = MicroGridField(
        label=_("所在微网格"),
        widget=ParentSelect(parent_id="id_community"),
        queryset=GridNode.objects.none(),
        required=False,
        empty_label=_("不清楚"),
        help_text=_("都不选则为您登记的所在社区。"),
    )
    location = form_char(Proposal, "location", help_text=_("如：舜玉小区5号楼东侧"))
    photos = PhotosField(label=_("照片（最多3张）"), required=False, accept="image/jpeg,image/png,image/webp")

    def __init__(self, *args, street=None, **kwargs):
        super().__init__(*args, **kwargs)
        nodes = GridNode.objects.select_related("parent").order_by("path")
        if street is not None:
            nodes = nodes.filter(street_id=street)
        self.fields["community"].queryset = nodes.filter(level=GridNode.Level.COMMUNITY)
        self.fields["community"].label_from_instance = lambda n: f"{n.parent.name} · {n.name}"
        self.fields["micro_grid"].queryset = nodes.filter(level=GridNode.Level.MICRO)


class CommentForm(forms.Form):
    text = form_char(
        Comment, "text", label=_("说说您的看法"), max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
