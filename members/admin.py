"""Admin of accounts, member units, pairings, the enterprise alliance, instructors and party members.

Everything is scoped (``ScopedAdmin``); units and party members have Excel import/export
(``alliance.core.importing``). Community admins manage accounts in their subtree with limited roles.
"""

from django.contrib import admin, messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from alliance.core.admin_base import ReadOnlyInline, ScopedAdmin, ScopedInline, error_text
from alliance.core.admin_parts import CountsMembers, member_count_column
from alliance.core.importing import ScopedImportExportAdmin
from alliance.core.search import GramSearch, GramSearchAdmin
from grids.admin_filters import grid_node_filter
from members import actions as member_actions
from members import pairing_admin  # noqa: F401  registers the pairings' admin
from members.models import (
    EnterpriseAlliance,
    EnterpriseAllianceMembership,
    Instructor,
    MemberUnit,
    Pairing,
    PartyMember,
    PartyOrganization,
    Skill,
    User,
)
from members.resources import MemberUnitResource, PartyMemberResource

# The columns of each table's gram index (members/migrations/0011_search_grams), in its order.
UNIT_SEARCH = ("name", "credit_code", "contact_name", "contact_phone", "address")
PARTY_MEMBER_SEARCH = ("name", "phone")
USER_SEARCH = ("username", "display_name", "phone", "email")


class StarFilter(admin.SimpleListFilter):
    """星级 0–5 as fixed choices: Django's filter of a plain number field reads every row's distinct value."""

    title = _("星级")
    parameter_name = "stars"

    def lookups(self, request, model_admin):
        return [(str(n), _("%(n)d 星") % {"n": n}) for n in range(6)]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value in {str(n) for n in range(6)}:
            return queryset.filter(star_rating=int(value))
        return queryset


# --- accounts --------------------------------------------------------------------------------------

COMMUNITY_ASSIGNABLE = (
    User.Role.GRID_WORKER,
    User.Role.UNIT_OPERATOR,
    User.Role.PARTY_MEMBER,
    User.Role.RESIDENT,
)
STREET_ASSIGNABLE = (User.Role.COMMUNITY_ADMIN, *COMMUNITY_ASSIGNABLE)
DISTRICT_ASSIGNABLE = (User.Role.STREET_ADMIN, *STREET_ASSIGNABLE)


def assignable_roles(user) -> tuple[str, ...]:
    """The roles an admin may give: superusers all, street admins up to community admin, else below."""
    if user.is_superuser:
        return tuple(User.Role.values)
    if user.role == User.Role.DISTRICT_ADMIN:  # every street's accounts; a district admin is made by a superuser
        return DISTRICT_ASSIGNABLE
    if user.role == User.Role.STREET_ADMIN:
        return STREET_ASSIGNABLE
    if user.role == User.Role.COMMUNITY_ADMIN:
        return COMMUNITY_ASSIGNABLE
    return ()


def may_manage_account(editor, account) -> bool:
    if editor.is_superuser:
        return True
    if account.is_superuser:
        return False
    return account.role in assignable_roles(editor)


class UserChangeForm(auth_forms.UserChangeForm):
    class Meta(auth_forms.UserChangeForm.Meta):
        model = User
        fields = ("username",)


class UserCreationForm(auth_forms.AdminUserCreationForm):
    class Meta(auth_forms.AdminUserCreationForm.Meta):
        model = User
        fields = ("username",)


@admin.register(User)
class UserAdmin(GramSearchAdmin, ScopedAdmin, DjangoUserAdmin):
    """Accounts: passwords through Django's own forms; roles limited by the editor's role and subtree."""

    form = UserChangeForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("display_name", "phone", "email", "address")}),
        (_("角色与管辖"), {"fields": ("role", "grid_node", "unit", "is_active")}),
        (_("重要日期"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "usable_password", "password1", "password2"),
            },
        ),
        (_("个人信息"), {"fields": ("display_name", "phone")}),
        (_("角色与管辖"), {"fields": ("role", "grid_node", "unit")}),
    )
    list_display = ("username", "display_name", "role", "grid_node", "unit", "phone", "is_active", "last_login")
    list_filter = ("role", "is_active", grid_node_filter("grid_node"))
    search_fields = ("username", "display_name", "phone", "email", "unit__name")
    gram_search = GramSearch(USER_SEARCH, related=(("unit", MemberUnit, UNIT_SEARCH, ("name",)),))
    list_select_related = ("grid_node", "unit")
    readonly_fields = ("last_login", "date_joined")
    ordering = ("username",)
    filter_horizontal = ()

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and request.user.is_superuser:
            fieldsets = (*fieldsets, (_("系统权限"), {"fields": ("is_superuser",)}))
        return fieldsets

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role":
            allowed = assignable_roles(request.user)
            kwargs["choices"] = [(v, label) for v, label in User.Role.choices if v in allowed]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if not request.user.is_superuser and "grid_node" in form.base_fields:
            # A staff admin's accounts must stay inside their subtree, so the node is required.
            form.base_fields["grid_node"].required = True
        return form

    def has_change_permission(self, request, obj=None):
        if obj is not None and not may_manage_account(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and (obj.pk == request.user.pk or not may_manage_account(request.user, obj)):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        # Defence in depth: the form offers only assignable roles; never let anything else through.
        if not request.user.is_superuser:
            if obj.role not in assignable_roles(request.user):
                raise PermissionDenied(_("您不能授予该角色。"))
            obj.is_superuser = False
        super().save_model(request, obj, form, change)


# --- member units ------------------------------------------------------------------------------------


class PartyOrganizationInline(ScopedInline):
    model = PartyOrganization
    fields = ("name", "kind", "secretary", "member_count")
    extra = 0
    max_num = 1


class PairingInline(ReadOnlyInline):
    """The unit's pairings as 甲方, shown; they are signed and kept on the pairing's own page (members.pairing_admin)."""

    model = Pairing
    fk_name = "unit"
    fields = ("community", "partner_unit", "starts_on", "ends_on", "status")
    extra = 0


@admin.action(description=_("暂停所选成员单位"))
def suspend_units(modeladmin, request, queryset):
    _set_status(modeladmin, request, queryset, MemberUnit.Status.SUSPENDED)


@admin.action(description=_("恢复所选成员单位为正常"))
def activate_units(modeladmin, request, queryset):
    _set_status(modeladmin, request, queryset, MemberUnit.Status.ACTIVE)


def _set_status(modeladmin, request, queryset, status):
    changed = 0
    for unit in queryset.exclude(status=status):
        try:
            member_actions.set_unit_status(by=request.user, unit=unit, status=status)
        except (ValidationError, PermissionDenied) as exc:
            modeladmin.message_user(request, f"{unit}:{error_text(exc)}", messages.ERROR)
        else:
            changed += 1
    modeladmin.message_user(request, _("已更新 %(n)d 个成员单位。") % {"n": changed}, messages.SUCCESS)


@admin.register(MemberUnit)
class MemberUnitAdmin(GramSearchAdmin, ScopedImportExportAdmin):
    resource_classes = [MemberUnitResource]
    list_display = (
        "name",
        "kind",
        "credit_code",
        "grid_node",
        "contact_name",
        "contact_phone",
        "status",
        "star_rating",
        "joined_on",
    )
    # Dates as a filter, not date_hierarchy, on the tables a city fills (its hierarchy reads every row's year).
    list_filter = (
        "kind",
        "status",
        StarFilter,
        grid_node_filter("grid_node"),
        ("joined_on", admin.DateFieldListFilter),
    )
    search_fields = UNIT_SEARCH
    gram_search = GramSearch(UNIT_SEARCH)
    list_select_related = ("grid_node",)
    inlines = [PartyOrganizationInline, PairingInline]
    actions = [suspend_units, activate_units]
    fieldsets = (
        (None, {"fields": ("name", "kind", "credit_code", "grid_node", "address")}),
        (_("联系方式"), {"fields": ("contact_name", "contact_phone")}),
        (_("加入与评价"), {"fields": ("joined_on", "status", "star_rating", "introduction")}),
    )


@admin.register(PartyOrganization)
class PartyOrganizationAdmin(ScopedAdmin):
    list_display = ("name", "kind", "unit", "secretary", "member_count")
    list_filter = ("kind",)
    search_fields = ("name", "secretary", "unit__name")
    list_select_related = ("unit",)


class EnterpriseAllianceMembershipInline(ScopedInline):
    model = EnterpriseAllianceMembership
    fields = ("unit", "joined_on", "position")
    extra = 0


@admin.register(EnterpriseAlliance)
class EnterpriseAllianceAdmin(CountsMembers, ScopedAdmin):
    list_display = ("name", "street", "founded_on", "member_count")
    search_fields = ("name",)
    list_select_related = ("street",)
    inlines = [EnterpriseAllianceMembershipInline]
    member_count = member_count_column(_("成员企业数"))


@admin.register(Instructor)
class InstructorAdmin(ScopedAdmin):
    list_display = ("member", "unit", "method", "starts_on", "ends_on")
    list_filter = ("method",)
    search_fields = ("member__name", "unit__name")
    list_select_related = ("member", "unit")
    autocomplete_fields = ("member",)
    date_hierarchy = "starts_on"


# --- party members ---------------------------------------------------------------------------------


@admin.register(Skill)
class SkillAdmin(CountsMembers, ScopedAdmin):
    street_admin_edits = True
    list_display = ("name", "member_count")
    search_fields = ("name",)
    member_count = member_count_column(_("党员人数"))


def _skill_names():
    """What a party member's skills are shown by: their names."""
    return Skill.objects.only("id", "name")


@admin.register(PartyMember)
class PartyMemberAdmin(GramSearchAdmin, ScopedImportExportAdmin):
    resource_classes = [PartyMemberResource]
    list_display = ("name", "phone", "unit", "community", "skill_list", "availability", "reported_on", "is_active")
    # Filters whose choices come from small tables or the viewer's streets (a city holds 100,000 party members:
    # Django's "related only" filters and the date hierarchy would read all of them on every page).
    list_filter = (
        "availability",
        "is_active",
        grid_node_filter("community", _("所在社区")),
        ("skills", admin.RelatedFieldListFilter),
        ("reported_on", admin.DateFieldListFilter),
    )
    search_fields = ("name", "phone", "unit__name", "skills__name")
    gram_search = GramSearch(
        PARTY_MEMBER_SEARCH,
        related=(("unit", MemberUnit, UNIT_SEARCH, ("name",)), ("skills", Skill, None, ("name",))),
    )
    list_select_related = ("unit", "community")
    filter_horizontal = ("skills",)
    raw_id_fields = ("user",)
    fieldsets = (
        (None, {"fields": ("name", "phone", "user")}),
        (_("双报到"), {"fields": ("unit", "community", "reported_on", "joined_party_on", "is_active")}),
        (_("特长与志愿服务"), {"fields": ("skills", "availability")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(Prefetch("skills", queryset=_skill_names()))

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # The page's skills as plain lists: the prefetch above (for exports and the change page) gives each row a
        # manager and a queryset of its own (4.6 ms of a 50-row page at city scale, 2.0 ms as lists).
        changelist.result_list = changelist.result_list.prefetch_related(None).prefetch_related(
            Prefetch("skills", queryset=_skill_names(), to_attr="listed_skills")
        )
        return changelist

    @admin.display(description=_("特长"))
    def skill_list(self, obj):
        skills = getattr(obj, "listed_skills", None)
        return "、".join(s.name for s in (obj.skills.all() if skills is None else skills))
