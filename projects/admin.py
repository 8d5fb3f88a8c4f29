"""Admin of the three lists: scoped to the user's subtree, bulk actions for the transitions, Excel import/export."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from alliance.admin_base import ScopedAdmin, ScopedInline
from alliance.errors import Conflict
from alliance.importing import ScopedImportExportAdmin
from projects import actions
from projects.models import (
    Category,
    Claim,
    Expenditure,
    ListSettings,
    Match,
    Need,
    Pledge,
    ProgressPhoto,
    ProgressReport,
    Project,
    Resource,
    Wish,
)
from projects.resources import NeedResource, ProjectResource, ResourceResource


def _run(modeladmin, request, queryset, func, done: str, **kwargs) -> None:
    """Call an action for each selected row; report how many went through and why others did not."""
    ok, failed = 0, []
    for obj in queryset:
        try:
            func(by=request.user, **{modeladmin.action_arg: obj}, **kwargs)
            ok += 1
        except (ValidationError, PermissionDenied, Conflict) as exc:
            reason = exc.message if isinstance(exc, Conflict) else ";".join(getattr(exc, "messages", [str(exc)]))
            failed.append(f"{obj}:{reason}")
    if ok:
        modeladmin.message_user(request, f"{done} {ok} 条。", messages.SUCCESS)
    for line in failed[:10]:
        modeladmin.message_user(request, line, messages.WARNING)


@admin.register(Category)
class CategoryAdmin(ScopedAdmin):
    street_admin_edits = True
    list_display = ("name", "code", "parent", "sort_order", "is_active")
    list_filter = ("parent", "is_active")
    search_fields = ("name", "code")


@admin.register(Resource)
class ResourceAdmin(ScopedImportExportAdmin):
    resource_classes = [ResourceResource]
    action_arg = "resource"
    list_display = ("title", "category", "unit", "grid_node", "quantity", "status", "created_at")
    list_filter = ("status", "category__parent", "category")
    search_fields = ("title", "description", "unit__name")
    list_select_related = ("category__parent", "unit", "grid_node")
    autocomplete_fields = ()
    raw_id_fields = ("unit", "grid_node")
    readonly_fields = ("created_by", "created_at", "retired_at")
    actions = ["retire"]

    @admin.action(description=_("下架所选资源"))
    def retire(self, request, queryset):
        _run(self, request, queryset, actions.retire_resource, "已下架")


@admin.register(Need)
class NeedAdmin(ScopedImportExportAdmin):
    resource_classes = [NeedResource]
    action_arg = "need"
    list_display = ("title", "kind", "category", "grid_node", "people_affected", "urgency", "status", "created_at")
    list_filter = ("kind", "status", "urgency", "category__parent")
    search_fields = ("title", "description")
    list_select_related = ("category__parent", "grid_node")
    raw_id_fields = ("grid_node",)
    readonly_fields = ("created_by", "created_at", "closed_at")
    actions = ["raise_to_committee", "mark_fulfilled", "run_matching"]

    @admin.action(description=_("提交街道大工委研究"))
    def raise_to_committee(self, request, queryset):
        ok = 0
        for need in queryset.select_related("grid_node"):
            try:
                actions.raise_need_to_committee(by=request.user, need=need)
                ok += 1
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(request, f"{need}:{';'.join(getattr(exc, 'messages', [str(exc)]))}", messages.WARNING)
        if ok:
            self.message_user(request, f"已提交大工委 {ok} 条议题。", messages.SUCCESS)

    @admin.action(description=_("标记为已解决"))
    def mark_fulfilled(self, request, queryset):
        _run(self, request, queryset, actions.close_need, "已解决")

    @admin.action(description=_("立即为所选需求匹配资源"))
    def run_matching(self, request, queryset):
        from projects import matching

        count = matching.run_for_needs(list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"已计算 {count} 条匹配建议(已有的不重复生成)。", messages.SUCCESS)


class PledgeInline(ScopedInline):
    model = Pledge
    fields = ("unit", "donor_name", "kind", "amount", "goods")
    raw_id_fields = ("unit",)


class ExpenditureInline(ScopedInline):
    model = Expenditure
    fields = ("spent_on", "item", "amount")


class ClaimInline(ScopedInline):
    model = Claim
    fields = ("unit", "status", "claimed_at", "rating")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


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
            "deadline",
            "budget",
            "crowdfunding_target",
            "status",
        )

    def clean(self):
        data = super().clean()
        if data.get("capacity") is not None and self.instance.pk and data["capacity"] < self.instance.active_claims:
            raise ValidationError({"capacity": f"已有 {self.instance.active_claims} 家单位认领,名额不能少于此数。"})
        return data


@admin.register(Project)
class ProjectAdmin(ScopedImportExportAdmin):
    form = ProjectForm
    resource_classes = [ProjectResource]
    action_arg = "project"
    list_display = ("title", "category", "grid_node", "capacity", "active_claims", "deadline", "status")
    list_filter = ("status", "category__parent")
    search_fields = ("title", "description")
    list_select_related = ("category__parent", "grid_node")
    raw_id_fields = ("grid_node", "matter")
    filter_horizontal = ("needs",)
    readonly_fields = ("active_claims", "created_by", "created_at", "published_at", "completed_at", "completed_by")
    inlines = [ClaimInline, PledgeInline, ExpenditureInline]
    actions = ["publish", "complete", "cancel"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

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

    @admin.action(description=_("发布所选项目(开放认领)"))
    def publish(self, request, queryset):
        _run(self, request, queryset, actions.publish_project, "已发布")

    @admin.action(description=_("确认所选项目完成"))
    def complete(self, request, queryset):
        _run(self, request, queryset, actions.complete_project, "已确认完成")

    @admin.action(description=_("取消所选项目"))
    def cancel(self, request, queryset):
        _run(self, request, queryset, actions.cancel_project, "已取消")


class ProgressPhotoInline(ScopedInline):
    model = ProgressPhoto
    fields = ("image",)


@admin.register(ProgressReport)
class ProgressReportAdmin(ScopedAdmin):
    list_display = ("claim", "created_at", "created_by")
    list_select_related = ("claim__project", "claim__unit", "created_by")
    inlines = [ProgressPhotoInline]
    raw_id_fields = ("claim",)


class ClaimEvaluationForm(forms.ModelForm):
    rating = forms.TypedChoiceField(
        label=_("社区评分"),
        choices=[("", "—")] + [(i, f"{i} 分") for i in range(1, 6)],
        coerce=int,
        required=False,
        empty_value=None,
    )

    class Meta:
        model = Claim
        fields = ("rating", "evaluation", "decision_note")


@admin.register(Claim)
class ClaimAdmin(ScopedAdmin):
    form = ClaimEvaluationForm
    action_arg = "claim"
    list_display = ("project", "unit", "status", "claimed_at", "last_progress_at", "rating")
    list_filter = ("status", "rating")
    search_fields = ("project__title", "unit__name")
    list_select_related = ("project__grid_node", "unit")
    readonly_fields = (
        "project",
        "unit",
        "status",
        "note",
        "claimed_by",
        "claimed_at",
        "decided_by",
        "decided_at",
        "started_at",
        "last_progress_at",
        "completed_at",
        "evaluated_by",
        "evaluated_at",
    )
    fieldsets = (
        (None, {"fields": ("project", "unit", "status", "note", "claimed_by", "claimed_at")}),
        (_("审核"), {"fields": ("decision_note", "decided_by", "decided_at")}),
        (_("实施"), {"fields": ("started_at", "last_progress_at", "completed_at")}),
        (_("社区评价(1–5 分)"), {"fields": ("rating", "evaluation", "evaluated_by", "evaluated_at")}),
    )
    actions = ["approve", "reject", "complete"]

    def has_add_permission(self, request, *args):
        return False

    def save_model(self, request, obj, form, change):
        # The evaluation goes through the action (state, scope, 1–5); other fields are not edited here.
        if "rating" in form.changed_data or "evaluation" in form.changed_data:
            if obj.rating is None:
                raise ValidationError({"rating": "请选择评分。"})
            actions.evaluate_claim(by=request.user, claim=obj, rating=obj.rating, comment=obj.evaluation)
        elif "decision_note" in form.changed_data:
            obj.save(update_fields=["decision_note"])

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:
            self.message_user(request, ";".join(exc.messages), messages.ERROR)
            from django.shortcuts import redirect

            return redirect(request.path)

    @admin.action(description=_("通过所选认领"))
    def approve(self, request, queryset):
        _run(self, request, queryset, actions.approve_claim, "已通过")

    @admin.action(description=_("驳回所选认领"))
    def reject(self, request, queryset):
        _run(self, request, queryset, actions.reject_claim, "已驳回")

    @admin.action(description=_("确认所选认领完成"))
    def complete(self, request, queryset):
        _run(self, request, queryset, actions.complete_claim, "已确认完成")


@admin.register(Pledge)
class PledgeAdmin(ScopedAdmin):
    list_display = ("project", "donor", "kind", "amount", "pledged_at")
    list_filter = ("kind",)
    search_fields = ("project__title", "unit__name", "donor_name")
    list_select_related = ("project", "unit")
    raw_id_fields = ("project", "unit")


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
    action_arg = "wish"
    list_display = ("title", "grid_node", "resident", "status", "claimant_member", "claimant_unit", "created_at")
    list_filter = ("status",)
    search_fields = ("title", "description")
    list_select_related = ("grid_node", "resident", "claimant_member", "claimant_unit")
    raw_id_fields = ("grid_node", "resident", "claimant_member", "claimant_unit", "claimed_by", "reviewed_by")
    actions = ["publish", "reject", "fulfil"]

    @admin.action(description=_("审核通过并发布"))
    def publish(self, request, queryset):
        _run(self, request, queryset, actions.review_wish, "已发布", publish=True)

    @admin.action(description=_("审核不通过"))
    def reject(self, request, queryset):
        _run(self, request, queryset, actions.review_wish, "已退回", publish=False)

    @admin.action(description=_("标记心愿已实现"))
    def fulfil(self, request, queryset):
        _run(self, request, queryset, actions.fulfil_wish, "已实现")


@admin.register(Match)
class MatchAdmin(ScopedAdmin):
    action_arg = "match"
    list_display = ("need", "kind", "target_name", "score", "reasons", "status", "project")
    list_filter = ("status", "kind")
    search_fields = ("need__title", "reasons")
    list_select_related = ("need", "resource__unit", "unit", "member", "project")
    readonly_fields = tuple(f.name for f in Match._meta.fields)
    actions = ["accept", "dismiss"]

    def has_add_permission(self, request, *args):
        return False

    @admin.display(description=_("匹配对象"))
    def target_name(self, obj):
        if obj.resource_id:
            return f"{obj.resource.unit.name}「{obj.resource.title}」"
        return str(obj.unit or obj.member or "")

    @admin.action(description=_("采纳所选建议(资源→生成项目;单位→发出邀请)"))
    def accept(self, request, queryset):
        _run(self, request, queryset, actions.accept_match, "已采纳")

    @admin.action(description=_("忽略所选建议"))
    def dismiss(self, request, queryset):
        _run(self, request, queryset, actions.dismiss_match, "已忽略")


@admin.register(ListSettings)
class ListSettingsAdmin(ScopedAdmin):
    street_admin_edits = True
    list_display = ("__str__", "no_progress_days", "deadline_days", "match_top_k")

    def has_add_permission(self, request, *args):
        return super().has_add_permission(request) and not ListSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
