"""Admin of the grid: nodes with their posts and teams, posts, teams with members. All scoped."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import flatten
from django.core.exceptions import ValidationError
from django.db.models import OuterRef
from django.utils.translation import gettext_lazy as _

from alliance.core.admin_base import ScopedAdmin, ScopedInline, SingletonAdmin, is_admin_user
from alliance.core.admin_parts import CountsMembers, member_count_column
from alliance.core.scoping import sees_all
from alliance.core.search import GramSearch, GramSearchAdmin
from grids import geo
from grids.actions import set_boundary
from grids.admin_filters import grid_node_filter
from grids.models import District, GridNode, GridRole, Team, TeamMember
from grids.selectors import count_subquery


class GridRoleInline(ScopedInline):
    model = GridRole
    fields = ("post", "holder_name", "phone", "department", "area", "duties", "user", "is_public", "sort_order")
    raw_id_fields = ("user",)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "duties":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 30})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class TeamInline(ScopedInline):
    model = Team
    fields = ("kind", "name", "leader_name")
    show_change_link = True


# The fields of a grid node, as laid out on its admin page (two pairs side by side).
NODE_FIELDS = (
    "name",
    "code",
    "level",
    "kind",
    "parent",
    "description",
    ("households", "population"),
    ("center_lat", "center_lng"),
    "boundary",
    "boundary_file",
    "sort_order",
)
# Shown, never typed in: a boundary arrives as an uploaded GeoJSON file, through grids.actions.set_boundary.
FORM_FIELDS = [name for name in flatten(NODE_FIELDS) if name not in ("boundary", "boundary_file")]


def boundary_max_bytes() -> int:
    return getattr(settings, "MAP_BOUNDARY_MAX_BYTES", 1024 * 1024)


class GridNodeForm(forms.ModelForm):
    boundary_file = forms.FileField(
        label=_("上传边界（GeoJSON）"),
        required=False,
        help_text=_("网格边界的GeoJSON文件（面或多面，经纬度坐标），可从测绘或地图软件导出；上传后替换现有边界。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json,application/geo+json,application/json"}),
    )

    class Meta:
        model = GridNode
        fields = FORM_FIELDS

    def clean_boundary_file(self):
        upload = self.cleaned_data.get("boundary_file")
        if not upload:
            return None
        limit = boundary_max_bytes()
        if upload.size > limit:
            raise ValidationError(_("文件过大：边界文件不能超过%(kb)sKB。") % {"kb": limit // 1024})
        return geo.read_geojson(upload.read(limit + 1))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        user = self.user
        if user is not None and not sees_all(user) and "parent" in self.fields and not cleaned.get("parent"):
            # Only superusers and district admins create streets; a staff account's nodes hang below its own.
            self.add_error("parent", _("请选择上级网格：只有系统管理员可以新建街道。"))
        return cleaned


@admin.register(District)
class DistrictAdmin(SingletonAdmin):
    """The deployment's district (区): every admin sees it; superusers and district admins change it."""

    list_display = ["__str__", "code"]
    fields = ["name", "code", "description"]

    def _can_edit(self, request) -> bool:
        return is_admin_user(request.user) and sees_all(request.user)


@admin.register(GridNode)
class GridNodeAdmin(GramSearchAdmin, ScopedAdmin):
    form = GridNodeForm
    list_display = ("name", "code", "level", "kind", "parent", "households", "population", "child_count")
    # The streets (then a street's communities) in the viewer's scope, not every node's distinct street.
    list_filter = ("level", "kind", grid_node_filter("", _("所在街道或社区")))
    search_fields = ("name", "code")
    gram_search = GramSearch(("name", "code"))  # grids/migrations/0007_search_grams
    list_select_related = ("parent",)
    fields = NODE_FIELDS
    inlines = [GridRoleInline, TeamInline]
    ordering = ("path",)
    workflow_fields = ("boundary",)  # written by grids.actions.set_boundary from the uploaded file

    def get_queryset(self, request):
        # A subquery, not a join and GROUP BY: a city's list (33,000 nodes) is paged and counted cheaply.
        children = count_subquery(GridNode.objects.filter(parent=OuterRef("pk")), "parent")
        return super().get_queryset(request).annotate(child_total=children)

    @admin.display(description=_("下级网格数"), ordering="child_total")
    def child_count(self, obj):
        return obj.child_total

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        user = request.user

        class ScopedGridNodeForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, user=user, **kw)

        return ScopedGridNodeForm

    def get_fields(self, request, obj=None):
        # The boundary is GeoJSON for the map, drawn by superusers' tools, not read on a form by staff.
        return self.fields if request.user.is_superuser else tuple(f for f in self.fields if f != "boundary")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        geometry = form.cleaned_data.get("boundary_file")
        if geometry:  # a refusal comes back on the form (ScopedAdmin.changeform_view), nothing saved
            set_boundary(by=request.user, node=obj, geometry=geometry)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        user = request.user
        if obj is not None and not user.is_superuser and obj.pk == user.grid_node_id:
            # An admin's own root node: its place in the tree is decided above them.
            readonly += ["code", "level", "kind", "parent"]
        return readonly

    def has_delete_permission(self, request, obj=None):
        # An admin cannot delete the node their own account is scoped to.
        if obj is not None and not request.user.is_superuser and obj.pk == request.user.grid_node_id:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(GridRole)
class GridRoleAdmin(ScopedAdmin):
    list_display = ("holder_name", "post", "node", "phone", "department", "area", "is_public")
    list_filter = ("post", "department", "is_public", "node__level", grid_node_filter("node"))
    search_fields = ("holder_name", "phone", "node__name", "node__code", "area")
    list_select_related = ("node",)
    raw_id_fields = ("user",)
    list_editable = ("is_public",)


class TeamMemberInline(ScopedInline):
    model = TeamMember
    fields = ("name", "phone", "role")


@admin.register(Team)
class TeamAdmin(CountsMembers, ScopedAdmin):
    list_display = ("name", "kind", "node", "leader_name", "member_count")
    list_filter = ("kind", grid_node_filter("node"))
    search_fields = ("name", "leader_name", "node__name", "members__name")
    list_select_related = ("node",)
    inlines = [TeamMemberInline]
    member_count = member_count_column(_("队员人数"))
