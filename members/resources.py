"""Excel import/export of member units and party members (Chinese columns; see alliance.core.importing)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.core.importing import ChoiceLabelWidget, DateWidget, LookupWidget, ScopedResource, TagsWidget, column
from grids.models import GridNode
from members.models import MemberUnit, PartyMember, Skill


class MemberUnitResource(ScopedResource):
    name = column("name", gettext_lazy("单位名称"))
    kind = column("kind", gettext_lazy("单位类型"), widget=ChoiceLabelWidget(MemberUnit.Kind))
    credit_code = column("credit_code", gettext_lazy("统一社会信用代码"))
    address = column("address", gettext_lazy("地址"))
    grid_node = column(
        "grid_node", gettext_lazy("所在网格编码"), widget=LookupWidget(GridNode, "code", label=gettext_lazy("网格编码"))
    )
    contact_name = column("contact_name", gettext_lazy("联系人"))
    contact_phone = column("contact_phone", gettext_lazy("联系电话"))
    joined_on = column("joined_on", gettext_lazy("加入日期"), widget=DateWidget())
    status = column("status", gettext_lazy("状态"), widget=ChoiceLabelWidget(MemberUnit.Status))

    class Meta:
        model = MemberUnit
        name = gettext_lazy("成员单位")
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

    blank_defaults = {gettext_lazy("状态"): MemberUnit.Status.ACTIVE}

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        code = row.get(_("统一社会信用代码"))
        if isinstance(code, str):
            row[_("统一社会信用代码")] = code.upper()

    def get_queryset(self):
        return super().get_queryset().select_related("grid_node")


class PartyMemberResource(ScopedResource):
    name = column("name", gettext_lazy("姓名"))
    phone = column("phone", gettext_lazy("手机号码"))
    unit = column(
        "unit",
        gettext_lazy("组织关系所在单位"),
        widget=LookupWidget(MemberUnit, "name", alternatives=("credit_code",), label=gettext_lazy("单位"), scoped=True),
    )
    community = column(
        "community",
        gettext_lazy("报到社区/网格编码"),
        widget=LookupWidget(GridNode, "code", label=gettext_lazy("网格编码")),
    )
    skills = column("skills", gettext_lazy("特长"), widget=TagsWidget(Skill, "name"))
    availability = column(
        "availability", gettext_lazy("志愿服务时间"), widget=ChoiceLabelWidget(PartyMember.Availability)
    )
    reported_on = column("reported_on", gettext_lazy("报到日期"), widget=DateWidget())

    class Meta:
        model = PartyMember
        name = gettext_lazy("党员")
        import_id_fields = ("phone",)
        fields = ("name", "phone", "unit", "community", "skills", "availability", "reported_on")

    blank_defaults = {gettext_lazy("志愿服务时间"): PartyMember.Availability.WEEKENDS}

    def get_queryset(self):
        return super().get_queryset().select_related("unit", "community").prefetch_related("skills")
