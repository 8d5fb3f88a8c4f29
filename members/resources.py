"""Excel import/export of member units and party members (Chinese columns; see alliance.core.importing)."""

from django.utils.translation import gettext_lazy as _

from alliance.core.importing import ChoiceLabelWidget, DateWidget, LookupWidget, ScopedResource, TagsWidget, column
from grids.models import GridNode
from members.models import MemberUnit, PartyMember, Skill


class MemberUnitResource(ScopedResource):
    name = column("name", _("单位名称"))
    kind = column("kind", _("单位类型"), widget=ChoiceLabelWidget(MemberUnit.Kind))
    credit_code = column("credit_code", _("统一社会信用代码"))
    address = column("address", _("地址"))
    grid_node = column("grid_node", _("所在网格编码"), widget=LookupWidget(GridNode, "code", label=_("网格编码")))
    contact_name = column("contact_name", _("联系人"))
    contact_phone = column("contact_phone", _("联系电话"))
    joined_on = column("joined_on", _("加入日期"), widget=DateWidget())
    status = column("status", _("状态"), widget=ChoiceLabelWidget(MemberUnit.Status))

    class Meta:
        model = MemberUnit
        name = _("成员单位")
        import_id_fields = ("credit_code",)
        fields = (
            "name",
            "kind",
            "credit_code",
            "address",
            "grid_node",
            "contact_name",
            "contact_phone",
            "joined_on",
            "status",
        )

    blank_defaults = {_("状态"): MemberUnit.Status.ACTIVE}

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        code = row.get(_("统一社会信用代码"))
        if isinstance(code, str):
            row[_("统一社会信用代码")] = code.upper()

    def get_queryset(self):
        return super().get_queryset().select_related("grid_node")


class PartyMemberResource(ScopedResource):
    name = column("name", _("姓名"))
    phone = column("phone", _("手机号码"))
    unit = column(
        "unit",
        _("组织关系所在单位"),
        widget=LookupWidget(MemberUnit, "name", alternatives=("credit_code",), label=_("单位"), scoped=True),
    )
    community = column(
        "community",
        _("报到社区/网格编码"),
        widget=LookupWidget(GridNode, "code", label=_("网格编码")),
    )
    skills = column("skills", _("特长"), widget=TagsWidget(Skill, "name"))
    availability = column("availability", _("志愿服务时间"), widget=ChoiceLabelWidget(PartyMember.Availability))
    reported_on = column("reported_on", _("报到日期"), widget=DateWidget())

    class Meta:
        model = PartyMember
        name = _("党员")
        import_id_fields = ("phone",)
        fields = ("name", "phone", "unit", "community", "skills", "availability", "reported_on")

    blank_defaults = {_("志愿服务时间"): PartyMember.Availability.WEEKENDS}

    def get_queryset(self):
        return super().get_queryset().select_related("unit", "community").prefetch_related("skills")
