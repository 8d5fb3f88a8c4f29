"""The dual-report form (phone first): community then micro-grid in two steps (as the issue form), skills as
boxes, times, and the one post pledged. The rules stay in actions.reports."""

from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.core.inputs import form_char
from alliance.volunteering.models import DualReport, ServeTime
from grids.models import GridNode, Team
from members.models import MemberUnit, PartyMember, Skill
from services.forms import MicroGridField, ParentSelect
from services.models import MenuItem


class PostKind:
    TEAM, MENU, ROLE = "team", "menu_item", "volunteer_role"
    CHOICES = [(TEAM, _("网格队伍岗位")), (MENU, _("服务菜单项目")), (ROLE, _("志愿岗位"))]


class DualReportForm(forms.Form):
    community = forms.ModelChoiceField(
        label=_("报到社区（居住地）"), queryset=GridNode.objects.none(), empty_label=_("请选择社区")
    )
    micro_grid = MicroGridField(
        label=_("居住微网格"),
        widget=ParentSelect(parent_id="id_community"),
        queryset=GridNode.objects.none(),
        required=False,
        empty_label=_("不清楚（由社区确定）"),
    )
    phone = form_char(
        PartyMember,
        "phone",
        label=_("本人手机号码"),
        required=False,
        help_text=_("首次报到时填写，账号已有手机号可不填。"),
    )
    in_service = forms.TypedChoiceField(
        label=_("是否在职党员"),
        choices=[("1", _("在职党员")), ("0", _("非在职党员（退休、灵活就业等）"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    unit = forms.ModelChoiceField(
        label=_("工作单位"),
        queryset=MemberUnit.objects.none(),
        required=False,
        empty_label=_("不在列表中（请填写党组织）"),
    )
    party_organization = form_char(DualReport, "party_organization", help_text=_("如“区卫健局机关党支部”。"))
    skills = forms.ModelMultipleChoiceField(
        label=_("特长"), queryset=Skill.objects.order_by("name"), required=False, widget=forms.CheckboxSelectMultiple
    )
    serve_times = forms.MultipleChoiceField(
        label=_("可服务时间"), choices=ServeTime.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    serve_note = form_char(DualReport, "serve_note", label=_("时间说明"), help_text=_("如“每月第二个周六上午”。"))
    post_kind = forms.ChoiceField(label=_("认领岗位"), choices=PostKind.CHOICES, widget=forms.RadioSelect)
    team = forms.ModelChoiceField(
        label=_("网格队伍"), queryset=Team.objects.none(), required=False, empty_label=_("请选择队伍")
    )
    menu_item = forms.ModelChoiceField(
        label=_("服务菜单项目"), queryset=MenuItem.objects.none(), required=False, empty_label=_("请选择项目")
    )
    volunteer_role = form_char(
        DualReport, "volunteer_role", label=_("志愿岗位名称"), help_text=_("如“楼栋志愿者”“文明劝导员”。")
    )

    def __init__(self, *args, street=None, ask_phone=True, **kwargs):
        super().__init__(*args, **kwargs)
        nodes = GridNode.objects.select_related("parent").order_by("path")
        if street is not None:
            nodes = nodes.filter(street_id=street)
        community = self.fields["community"]
        community.queryset = nodes.filter(level=GridNode.Level.COMMUNITY)
        community.label_from_instance = lambda n: f"{n.parent.name} · {n.name}"
        self.fields["micro_grid"].queryset = nodes.filter(level=GridNode.Level.MICRO)
        teams = Team.objects.select_related("node").order_by("node__path", "kind")
        menu = MenuItem.objects.filter(is_active=True).order_by("title", "pk")
        if street is not None:
            teams = teams.filter(node__street_id=street)
            menu = menu.filter(grid_scope__street_id=street)
        self.fields["team"].queryset = teams
        self.fields["team"].label_from_instance = lambda t: f"{t.node.name} · {t.name}"
        self.fields["menu_item"].queryset = menu
        self.fields["unit"].queryset = MemberUnit.objects.order_by("name")
        if not ask_phone:
            del self.fields["phone"]

    def clean(self):
        data = super().clean()
        kind = data.get("post_kind")
        for name in (PostKind.TEAM, PostKind.MENU, PostKind.ROLE):
            if name != kind:
                data[name] = "" if name == PostKind.ROLE else None
        if kind and not data.get(kind):
            self.add_error(kind, _("请选择或填写认领的岗位。"))
        return data

    def report_data(self) -> dict:
        """What the actions take."""
        data = dict(self.cleaned_data)
        data.pop("post_kind", None)
        return data

    @classmethod
    def initial_from(cls, report: DualReport) -> dict:
        kind = PostKind.TEAM if report.team_id else PostKind.MENU if report.menu_item_id else PostKind.ROLE
        return {
            "community": report.community_id,
            "micro_grid": report.micro_grid_id,
            "in_service": "1" if report.in_service else "0",
            "unit": report.unit_id,
            "party_organization": report.party_organization,
            "skills": [s.pk for s in report.skills.all()],
            "serve_times": report.serve_times,
            "serve_note": report.serve_note,
            "post_kind": kind,
            "team": report.team_id,
            "menu_item": report.menu_item_id,
            "volunteer_role": report.volunteer_role,
        }
