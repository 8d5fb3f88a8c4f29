"""Admin of the three lists: scoped to the user's subtree, bulk actions for the transitions, Excel import/export."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from alliance.core.admin_base import ReadOnlyInline, ScopedAdmin, ScopedInline, SingletonAdmin, Transition, reason_form
from alliance.core.admin_parts import CreatedByAction, given
from alliance.core.importing import ScopedImportExportAdmin
from alliance.core.todo import todo_filter
from projects import actions, matching, todo
from projects.admin_claims import claimant_text
from projects.models import (
    Category,
    Claim,
    Expenditure,
    ListSettings,
    Match,
    Need,
    Pledge,
    Project,
    Resource,
    Wish,
)
from projects.resources import NeedResource, ProjectResource, ResourceResource


@admin.register(Category)
class CategoryAdmin(ScopedAdmin):
    street_admin_edits = True
    list_display = ("name", "code", "parent", "sort_order", "is_active")
    list_filter = ("parent", "is_active")
    search_fields = ("name", "code")

    # The code is the programs' name of a category (help_needy-1): superusers see it in the list; whoever
    # cannot change categories does not see it at all.
    def get_list_display(self, request):
        shown = super().get_list_display(request)
        return shown if request.user.is_superuser else [name for name in shown if name != "code"]

    def get_exclude(self, request, obj=None):
        return [] if self.has_change_permission(request, obj) else ["code"]


@admin.register(Resource)
class ResourceAdmin(CreatedByAction, ScopedImportExportAdmin):
    resource_classes = [ResourceResource]
    list_display = ("title", "category", "unit", "grid_node", "quantity", "status", "created_at")
    list_filter = ("status", "category__parent", "category")
    search_fields = ("title", "description", "unit__name")
    list_select_related = ("category__parent", "unit", "grid_node")
    autocomplete_fields = ()
    raw_id_fields = ("unit", "grid_node")
    readonly_fields = ("created_by", "created_at", "retired_at")
    transitions = (
        Transition(
            "retire",
            _("下架"),
            actions.retire_resource,
            bulk_label=_("下架所选资源"),
            when=("available", "reserved"),
            done=_("已下架"),
        ),
        Transition(
            "republish",
            _("重新上架"),
            actions.republish_resource,
            when=("retired",),
            done=_("已重新上架"),
        ),
    )

    def create(self, request, obj, data):
        # A resource added here is published like any other: scope, checks, matching.
        return actions.create_resource(
            by=request.user,
            unit=obj.unit,
            title=obj.title,
            category=obj.category,
            grid_node=obj.grid_node,
            **given(data, ("description", "quantity", "availability", "available_until")),
        )


NEED_OPEN = (*Need.OPEN_STATUSES, Need.Status.IN_PROJECT)  # what staff may still raise, solve or close


@admin.register(Need)
class NeedAdmin(CreatedByAction, ScopedImportExportAdmin):
    resource_classes = [NeedResource]
    list_display = (
        "title",
        "kind",
        "category",
        "grid_node",
        "posted_by_unit",
        "people_affected",
        "urgency",
        "status",
        "created_at",
    )
    list_filter = (todo_filter(todo.LINES), "kind", "status", "urgency", "category__parent")
    search_fields = ("title", "description", "posted_by_unit__name")
    list_select_related = ("category__parent", "grid_node", "posted_by_unit")
    raw_id_fields = ("grid_node",)
    readonly_fields = ("created_by", "created_at", "closed_at")
    workflow_fields = ("posted_by_unit", "review_note")
    transitions = (
        Transition(
            "approve",
            _("审核通过并公开"),
            actions.approve_need,
            when=(Need.Status.PENDING,),
            done=_("已审核通过"),
        ),
        Transition(
            "send_back",
            _("退回修改"),
            actions.return_need,
            when=(Need.Status.PENDING,),
            form=reason_form(_("退回的理由"), max_length=200),
            done=_("已退回"),
        ),
        Transition(
            "decline",
            _("不予采纳"),
            actions.decline_need,
            when=(Need.Status.PENDING,),
            form=reason_form(_("不予采纳的理由"), max_length=200),
            done=_("已不予采纳"),
        ),
        Transition(
            "raise_to_committee",
            _("提交街道大工委研究"),
            actions.raise_need_to_committee,
            when=NEED_OPEN,
            done=_("已提交大工委"),
        ),
        Transition(
            "mark_fulfilled",
            _("标记为已解决"),
            actions.close_need,
            when=NEED_OPEN,
            done=_("已解决"),
        ),
        Transition(
            "close",
            _("关闭（不再对接）"),
            actions.close_need,
            when=NEED_OPEN,
            inputs=lambda obj, data: {"fulfilled": False},
            done=_("已关闭"),
        ),
    )
    actions = ["run_matching"]

    def create(self, request, obj, data):
        fields = given(data, ("kind", "description", "people_affected", "urgency", "wanted_by"))
        return actions.create_need(
            by=request.user, title=obj.title, category=obj.category, grid_node=obj.grid_node, **fields
        )

    @admin.action(description=_("立即为所选需求匹配资源"))
    def run_matching(self, request, queryset):
        count = matching.run_for_needs(list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext(
                "已计算 %(count)d 条匹配建议（已有的不重复生成）。",
                "已计算 %(count)d 条匹配建议（已有的不重复生成）。",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


class PledgeInline(ScopedInline):
    model = Pledge
    fields = ("unit", "donor_name", "kind", "amount", "goods")
    raw_id_fields = ("unit",)


class ExpenditureInline(ScopedInline):
    model = Expenditure
    fields = ("spent_on", "item", "amount")


class ClaimInline(ReadOnlyInline):
    model = Claim
    fields = ("claimant", "status", "hours", "claimed_at", "rating")
    readonly_fields = ("claimant",)
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("unit", "person")

    @admin.display(description=_("认领方"))
    def claimant(self, obj):
        return claimant_text(obj)


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = (
            "title",
            "category",
            "description",
            "grid_node",
            "needs",
            "matter",
            "capacity",
            "allows_individuals",
            "individual_capacity",
            "deadline",
            "budget",
            "crowdfunding_target",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "individual_capacity" in self.fields:
            self.fields["individual_capacity"].required = False  # empty: none (the project is for units only)

    def clean_individual_capacity(self):
        return self.cleaned_data.get("individual_capacity") or 0

    def clean(self):
        data = super().clean()
        if data.get("capacity") is not None and self.instance.pk and data["capacity"] < self.instance.active_claims:
            raise ValidationError(
                {
                    "capacity": gettext("已有 %(count)d 家单位认领，名额不能少于此数。")
                    % {"count": self.instance.active_claims}
                }
            )
        places, taken = (
            data.get("individual_capacity"),
            self.instance.active_individual_claims if self.instance.pk else 0,
        )
        if places is not None and places < taken:
            raise ValidationError(
                {"individual_capacity": gettext("已有 %(count)d 人认领，个人名额不能少于此数。") % {"count": taken}}
            )
        if data.get("allows_individuals") and not places:
            raise ValidationError({"individual_capacity": gettext("个人可认领的项目至少要有 1 个个人名额。")})
        return data


@admin.register(Project)
class ProjectAdmin(CreatedByAction, ScopedImportExportAdmin):
    form = ProjectForm
    resource_classes = [ProjectResource]
    list_display = ("title", "category", "grid_node", "capacity", "active_claims", "deadline", "status")
    list_filter = ("status", "category__parent")
    search_fields = ("title", "description")
    list_select_related = ("category__parent", "grid_node")
    raw_id_fields = ("grid_node", "matter")
    filter_horizontal = ("needs",)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "needs":  # a unit's need not yet approved is no project's source
            field.queryset = field.queryset.exclude(status__in=Need.UNREVIEWED_STATUSES)
        return field

    readonly_fields = (
        "active_claims",
        "active_individual_claims",
        "created_by",
        "created_at",
        "published_at",
        "completed_at",
        "completed_by",
    )
    inlines = [ClaimInline, PledgeInline, ExpenditureInline]
    transitions = (
        Transition(
            "publish",
            _("发布（开放认领）"),
            actions.publish_project,
            bulk_label=_("发布所选项目（开放认领）"),
            when=("draft",),
            done=_("已发布"),
        ),
        Transition(
            "complete",
            _("确认完成"),
            actions.complete_project,
            when=("published", "in_progress"),
            done=_("已确认完成"),
        ),
        Transition(
            "cancel",
            _("取消项目"),
            actions.cancel_project,
            bulk_label=_("取消所选项目"),
            when=("draft", "published", "in_progress"),
            done=_("已取消"),
        ),
    )

    def create(self, request, obj, data):
        # A project added here starts as any other: a draft, created by the action (scope, checks, needs).
        return actions.create_project(
            by=request.user,
            title=obj.title,
            category=obj.category,
            grid_node=obj.grid_node,
            capacity=obj.capacity,
            needs=list(data.get("needs") or []),
            **given(
                data,
                (
                    "description",
                    "matter",
                    "deadline",
                    "budget",
                    "crowdfunding_target",
                    "allows_individuals",
                    "individual_capacity",
                ),
            ),
        )

    def save_formset(self, request, form, formset, change):
        # Expenditure lines go through the action, which keeps the account within what was pledged.
        if formset.model is Expenditure:
            for line in formset.save(commit=False):
                if line.pk:
                    line.save()
                    continue
                try:
                    actions.add_expenditure(
                        by=request.user,
                        project=form.instance,
                        item=line.item,
                        amount=line.amount,
                        spent_on=line.spent_on,
                    )
                except ValidationError as exc:
                    self.message_user(request, ";".join(exc.messages), messages.ERROR)
            for obj in formset.deleted_objects:
                obj.delete()
            return
        super().save_formset(request, form, formset, change)


@admin.register(Pledge)
class PledgeAdmin(ScopedAdmin):
    list_display = ("project", "donor", "kind", "amount", "pledged_at")
    list_filter = ("kind",)
    search_fields = ("project__title", "unit__name", "donor_name")
    list_select_related = ("project", "unit")
    raw_id_fields = ("project", "unit")

    @admin.display(description=_("捐助人"))
    def donor(self, obj):
        return obj.donor


@admin.register(Expenditure)
class ExpenditureAdmin(ScopedAdmin):
    list_display = ("project", "item", "amount", "spent_on")
    list_select_related = ("project",)
    raw_id_fields = ("project",)

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        created = actions.add_expenditure(
            by=request.user, project=obj.project, item=obj.item, amount=obj.amount, spent_on=obj.spent_on
        )
        obj.pk = created.pk


@admin.register(Wish)
class WishAdmin(ScopedAdmin):
    list_display = ("title", "grid_node", "resident", "status", "claimant_member", "claimant_unit", "created_at")
    list_filter = (todo_filter(todo.LINES), "status")
    search_fields = ("title", "description")
    list_select_related = ("grid_node", "resident", "claimant_member", "claimant_unit")
    raw_id_fields = ("grid_node", "resident")
    workflow_fields = ("resident", "review_note", "claimant_member", "claimant_unit", "thanks")
    transitions = (
        Transition(
            "publish",
            _("审核通过并发布"),
            actions.review_wish,
            when=("submitted",),
            inputs=lambda obj, data: {"publish": True},
            done=_("已发布"),
        ),
        Transition(
            "reject",
            _("审核不通过"),
            actions.review_wish,
            when=("submitted",),
            form=reason_form(_("不通过的理由"), name="note"),
            inputs=lambda obj, data: {"publish": False, **data},
            done=_("已退回"),
        ),
        Transition("fulfil", _("标记心愿已实现"), actions.fulfil_wish, when=("claimed",), done=_("已实现")),
    )

    def has_add_permission(self, request, *args):
        # Wishes are residents' own (微心愿): submitted in the portal by the resident.
        return False


@admin.register(Match)
class MatchAdmin(ScopedAdmin):
    list_display = ("need", "kind", "target_name", "score", "reasons_shown", "status", "project")
    list_filter = (todo_filter(todo.LINES), "status", "kind")
    search_fields = ("need__title", "reasons")
    list_select_related = ("need", "resource__unit", "unit", "member", "project")
    readonly_fields = tuple(f.name for f in Match._meta.fields)
    transitions = (
        Transition(
            "accept",
            _("采纳建议（资源→生成项目；单位→发出邀请）"),
            actions.accept_match,
            when=("suggested",),
            done=_("已采纳"),
        ),
        Transition("dismiss", _("忽略建议"), actions.dismiss_match, when=("suggested",), done=_("已忽略")),
    )

    def has_add_permission(self, request, *args):
        return False

    @admin.display(description=_("匹配理由"))
    def reasons_shown(self, obj):
        return obj.reasons_text

    @admin.display(description=_("匹配对象"))
    def target_name(self, obj):
        if obj.resource_id:
            return f"{obj.resource.unit.name}“{obj.resource.title}”"
        return str(obj.unit or obj.member or "")


@admin.register(ListSettings)
class ListSettingsAdmin(SingletonAdmin):
    list_display = ("__str__", "no_progress_days", "deadline_days", "match_top_k")
