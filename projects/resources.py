"""Excel import/export of the three lists (Chinese columns; all-or-nothing; see alliance.core.importing)."""

from django.utils.translation import gettext_lazy as _

from alliance.core.importing import ChoiceLabelWidget, DateWidget, LookupWidget, ScopedResource, column
from grids.models import GridNode
from members.models import MemberUnit
from projects.models import Category, Need, Project, Resource, Urgency


def _category():
    return LookupWidget(Category, "name", alternatives=("code",), label=_("类别"))


def _grid():
    return LookupWidget(GridNode, "code", label=_("网格编码"))


class ResourceResource(ScopedResource):
    title = column("title", _("资源名称"))
    category = column("category", _("类别"), widget=_category())
    unit = column(
        "unit",
        _("提供单位"),
        widget=LookupWidget(MemberUnit, "name", alternatives=("credit_code",), label=_("单位"), scoped=True),
    )
    grid_node = column("grid_node", _("服务网格编码"), widget=_grid())
    quantity = column("quantity", _("数量"))
    availability = column("availability", _("可提供时间"))
    available_until = column("available_until", _("有效期至"), widget=DateWidget())
    description = column("description", _("资源说明"))
    status = column("status", _("状态"), widget=ChoiceLabelWidget(Resource.Status))

    class Meta:
        model = Resource
        name = _("资源清单")
        import_id_fields = ("unit", "title")
        fields = (
            "title",
            "category",
            "unit",
            "grid_node",
            "quantity",
            "availability",
            "available_until",
            "description",
            "status",
        )

    blank_defaults = {_("状态"): Resource.Status.AVAILABLE, _("数量"): 1}

    def get_queryset(self):
        return super().get_queryset().select_related("category", "unit", "grid_node")


class NeedResource(ScopedResource):
    title = column("title", _("需求名称"))
    kind = column("kind", _("清单类型"), widget=ChoiceLabelWidget(Need.Kind))
    category = column("category", _("类别"), widget=_category())
    grid_node = column("grid_node", _("所在网格编码"), widget=_grid())
    people_affected = column("people_affected", _("涉及人数"))
    urgency = column("urgency", _("紧急程度"), widget=ChoiceLabelWidget(Urgency))
    wanted_by = column("wanted_by", _("期望解决日期"), widget=DateWidget())
    description = column("description", _("需求说明"))
    status = column("status", _("状态"), widget=ChoiceLabelWidget(Need.Status))

    class Meta:
        model = Need
        name = _("需求清单")
        import_id_fields = ("grid_node", "title")
        fields = (
            "title",
            "kind",
            "category",
            "grid_node",
            "people_affected",
            "urgency",
            "wanted_by",
            "description",
            "status",
        )

    blank_defaults = {
        _("清单类型"): Need.Kind.NEED,
        _("紧急程度"): Urgency.LOW,
        _("状态"): Need.Status.OPEN,
        _("涉及人数"): 0,
    }

    def get_queryset(self):
        return super().get_queryset().select_related("category", "grid_node")


class ProjectResource(ScopedResource):
    title = column("title", _("项目名称"))
    category = column("category", _("类别"), widget=_category())
    grid_node = column("grid_node", _("所属网格编码"), widget=_grid())
    capacity = column("capacity", _("认领名额"))
    deadline = column("deadline", _("认领截止日期"), widget=DateWidget())
    budget = column("budget", _("预算（元）"))
    crowdfunding_target = column("crowdfunding_target", _("众筹目标（元）"))
    description = column("description", _("项目内容"))
    status = column("status", _("状态"), widget=ChoiceLabelWidget(Project.Status))

    class Meta:
        model = Project
        name = _("项目清单")
        import_id_fields = ("grid_node", "title")
        fields = (
            "title",
            "category",
            "grid_node",
            "capacity",
            "deadline",
            "budget",
            "crowdfunding_target",
            "description",
            "status",
        )

    blank_defaults = {_("状态"): Project.Status.DRAFT, _("认领名额"): 1}

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        for header in (_("预算（元）"), _("众筹目标（元）")):
            if row.get(header) in ("", None):
                row[header] = None

    def get_queryset(self):
        return super().get_queryset().select_related("category", "grid_node")
