"""Admin of matters with their follow-up and milestones; transitions go through alliance.committee.actions."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from alliance.committee import actions
from alliance.committee.models import Matter, Milestone
from alliance.core.admin_base import ScopedAdmin, ScopedInline, Transition, reason_form
from alliance.core.admin_parts import CreatedByAction


class FollowUpForm(forms.Form):
    progress = forms.IntegerField(label=_("落实进度（%）"), min_value=0, max_value=100)
    note = forms.CharField(label=_("进度说明"), required=False, max_length=200)


class MilestoneInline(ScopedInline):
    model = Milestone
    fields = ["sort_order", "title", "due_on", "done_on"]


@admin.register(Matter)
class MatterAdmin(CreatedByAction, ScopedAdmin):
    list_display = [
        "title",
        "committee",
        "status",
        "raised_by_unit",
        "created_at",
        "resolved_at",
        "progress",
        "source_link",
    ]
    list_filter = ["status", "committee__kind"]
    search_fields = ["title", "description", "resolution"]
    list_select_related = ["committee", "raised_by_unit"]
    date_hierarchy = "created_at"
    raw_id_fields = ["raised_by", "raised_by_unit"]
    readonly_fields = [
        "status",
        "source_link",
        "created_at",
        "studied_at",
        "studied_by",
        "resolved_at",
        "resolved_by",
        "deferred_at",
        "deferred_by",
        "progress_updated_at",
        "done_at",
        "projects_link",
    ]
    fieldsets = [
        (None, {"fields": ["committee", "title", "description", "raised_by_unit", "source_link", "status"]}),
        (_("议决与暂缓"), {"fields": ["resolution", "defer_reason"]}),
        (_("落实跟踪"), {"fields": ["progress", "progress_note", "projects_link"]}),
        (_("记录"), {"fields": readonly_fields[2:-1]}),
    ]
    workflow_fields = ["resolution", "defer_reason", "progress", "progress_note", "raised_by"]
    inlines = [MilestoneInline]
    transitions = (
        Transition(
            "study",
            _("转入研究"),
            actions.study_matter,
            when=("proposed", "deferred"),
            done=_("已转入研究"),
        ),
        Transition(
            "resolve",
            _("议决"),
            actions.resolve_matter,
            when=("under_study",),
            form=reason_form(_("议决结果"), name="resolution", max_length=2000),
            done=_("已议决"),
        ),
        Transition(
            "defer",
            _("暂缓"),
            actions.defer_matter,
            when=("proposed", "under_study"),
            form=reason_form(_("暂缓原因")),
            done=_("已暂缓"),
        ),
        Transition(
            "hand_on",
            _("转为项目清单中的项目"),
            actions.hand_on_matter,
            when=("resolved",),
            done=_("已转为项目"),
        ),
        Transition(
            "follow_up",
            _("登记落实进度"),
            actions.update_follow_up,
            when=("resolved",),
            form=FollowUpForm,
            bulk=False,
            done=_("已登记落实进度"),
        ),
    )

    @admin.display(description=_("来源"))
    def source_link(self, obj):
        if not obj.source_type_id:
            return "—"
        source = obj.source
        if source is None:
            return "—"
        url = obj.source_url()
        if not url:  # no public page: the source's own admin page, if it has one
            try:
                url = reverse(f"admin:{source._meta.app_label}_{source._meta.model_name}_change", args=[source.pk])
            except NoReverseMatch:
                url = ""
        label = f"{source._meta.verbose_name}:{source}"
        return format_html('<a href="{}">{}</a>', url, label) if url else label

    @admin.display(description=_("转交项目"))
    def projects_link(self, obj):
        projects = list(obj.projects.all()) if hasattr(obj, "projects") else []
        if not projects:
            return "—"
        links = []
        for project in projects:
            try:
                url = reverse(f"admin:{project._meta.app_label}_{project._meta.model_name}_change", args=[project.pk])
            except NoReverseMatch:  # the project admin is not registered
                links.append(format_html("{}", project))
            else:
                links.append(format_html('<a href="{}">{}</a>', url, project))
        return format_html(" ".join(["{}"] * len(links)), *links)

    def create(self, request, obj, data):
        return actions.raise_matter(
            by=request.user,
            committee=obj.committee,
            title=obj.title,
            description=obj.description,
            unit=obj.raised_by_unit,
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is not Milestone:
            return super().save_formset(request, form, formset, change)
        # New milestones and their completion go through the actions (a resolved matter, its managers).
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.forms:
            if row in formset.deleted_forms or not row.has_changed():
                continue
            data = row.cleaned_data
            milestone = row.instance
            if milestone.pk is None:
                milestone = actions.add_milestone(
                    by=request.user, matter=form.instance, title=data.get("title", ""), due_on=data.get("due_on")
                )
                formset.new_objects.append(milestone)
            else:
                edited = [f for f in row.changed_data if f in ("sort_order", "title", "due_on")]
                if edited:
                    milestone.save(update_fields=edited)
                formset.changed_objects.append((milestone, row.changed_data))
            if "done_on" in row.changed_data and data.get("done_on"):
                actions.complete_milestone(by=request.user, milestone=milestone, on=data["done_on"])
            elif "done_on" in row.changed_data:
                raise ValidationError("已完成的落实节点不能改回未完成。")
        for row in formset.deleted_forms:
            if row.instance.pk:
                formset.deleted_objects.append(row.instance)
                row.instance.delete()
