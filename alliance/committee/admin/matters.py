"""Admin of matters with their follow-up and milestones; transitions go through alliance.committee.actions."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alliance.committee import actions, selectors, todo
from alliance.committee.actions.milestones import EDITABLE as MILESTONE_FIELDS
from alliance.committee.district import trail
from alliance.committee.models import Matter, Milestone
from alliance.core.admin_base import ScopedAdmin, ScopedInline, Transition, reason_form
from alliance.core.admin_parts import CreatedByAction, PrintLink
from alliance.core.todo import todo_filter


class FollowUpForm(forms.Form):
    progress = forms.IntegerField(label=_("落实进度（%）"), min_value=0, max_value=100)
    note = forms.CharField(label=_("进度说明"), required=False, max_length=200)


class OverdueMilestoneFilter(admin.SimpleListFilter):
    """逾期: milestones of resolved matters past their due date (Beijing time) and not done."""

    title = _("逾期")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("逾期未完成")), ("no", _("未逾期"))]

    def queryset(self, request, queryset):
        late = selectors.overdue_q(timezone.localdate())
        if self.value() == "yes":
            return queryset.filter(late)
        if self.value() == "no":
            return queryset.exclude(late)
        return queryset


class OverdueMatterFilter(OverdueMilestoneFilter):
    """逾期 on matters: those with at least one overdue milestone."""

    def lookups(self, request, model_admin):
        return [("yes", _("有逾期节点")), ("no", _("无逾期节点"))]

    def queryset(self, request, queryset):
        late = Milestone.objects.filter(selectors.overdue_q(timezone.localdate())).values("matter_id")
        if self.value() == "yes":
            return queryset.filter(pk__in=late)
        if self.value() == "no":
            return queryset.exclude(pk__in=late)
        return queryset


class MilestoneInline(ScopedInline):
    model = Milestone
    fields = ["sort_order", "title", "owner", "owner_unit", "due_on", "done_on", "done_by", "reminded_at"]
    raw_id_fields = ["owner", "owner_unit"]


class OfferedIf(Transition):
    """A transition whose button shows where ``show(obj)`` holds (the action decides in the end)."""

    def __init__(self, *args, show, **kwargs):
        super().__init__(*args, **kwargs)
        self.show = show

    def offered(self, obj) -> bool:
        return super().offered(obj) and self.show(obj)


def _may_raise(matter) -> bool:
    return matter.committee.kind == "street_joint" and matter.escalated_to_id is None


def _may_hand_back(matter) -> bool:
    street_matter = getattr(matter, "escalated_from", None) if matter.committee.grid_node_id is None else None
    return street_matter is not None and street_matter.handed_back_at is None


@admin.register(Matter)
class MatterAdmin(PrintLink, CreatedByAction, ScopedAdmin):
    print_url_name = "alliance_ws:matter_print"
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
    list_filter = [todo_filter(todo.LINES), "status", OverdueMatterFilter, "committee__kind"]
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
        "escalated_at",
        "escalated_by",
        "handed_back_at",
        "handed_back_by",
        "projects_link",
        "district_trail",
    ]
    fieldsets = [
        (None, {"fields": ["committee", "title", "description", "raised_by_unit", "source_link", "status"]}),
        (_("议决与暂缓"), {"fields": ["resolution", "defer_reason"]}),
        (_("落实跟踪"), {"fields": ["progress", "progress_note", "projects_link"]}),
        (_("区街联动"), {"fields": ["district_trail", "escalation_note"]}),
        (_("记录"), {"fields": readonly_fields[2:-2]}),
    ]
    workflow_fields = ["resolution", "defer_reason", "progress", "progress_note", "raised_by", "escalation_note"]
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
        OfferedIf(
            "raise_to_district",
            _("提交区联席会议"),
            actions.raise_to_district,
            when=("proposed", "under_study", "deferred"),
            form=reason_form(_("提交说明"), name="note", required=False, max_length=2000),
            bulk=False,
            done=_("已提交区联席会议"),
            show=_may_raise,
        ),
        OfferedIf(
            "hand_back",
            _("议决并交回街道落实"),
            actions.hand_back,
            when=("proposed", "under_study", "deferred", "resolved"),
            form=reason_form(_("区联席会议议决结果"), name="resolution", required=False, max_length=2000),
            bulk=False,
            done=_("已交回街道落实"),
            show=_may_hand_back,
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

    @admin.display(description=_("区街联动"))
    def district_trail(self, obj):
        """提交区联席会议 → 区联席会议议决 → 交回街道落实, with links to the other side's matter."""
        if obj is None or obj.pk is None:
            return "—"
        steps = trail(obj)
        if not steps:
            return "—"
        parts = []
        for step in steps:
            when = f"{timezone.localtime(step['at']):%Y-%m-%d %H:%M}" if step["at"] else _("等待中")
            link = step.get("matter")
            if link is not None:
                url = reverse("admin:alliance_matter_change", args=[link.pk])
                parts.append(format_html('{}（{}）<a href="{}">{}</a>', step["label"], when, url, link.committee))
            else:
                parts.append(format_html("{}（{}）", step["label"], when))
        return format_html(" → ".join(["{}"] * len(parts)), *parts)

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
                    by=request.user,
                    matter=form.instance,
                    title=data.get("title", ""),
                    due_on=data.get("due_on"),
                    owner=data.get("owner"),
                    owner_unit=data.get("owner_unit"),
                )
                formset.new_objects.append(milestone)
            else:
                edited = {f: data.get(f) for f in row.changed_data if f in MILESTONE_FIELDS}
                if edited:
                    # the form set the new values on the instance: the action compares with the row as stored
                    milestone = Milestone.objects.get(pk=milestone.pk)
                    milestone = actions.edit_milestone(by=request.user, milestone=milestone, **edited)
                formset.changed_objects.append((milestone, row.changed_data))
            if "done_on" in row.changed_data and data.get("done_on"):
                actions.complete_milestone(by=request.user, milestone=milestone, on=data["done_on"])
            elif "done_on" in row.changed_data:
                raise ValidationError(gettext("已完成的落实节点不能改回未完成。"))
        for row in formset.deleted_forms:
            if row.instance.pk:
                formset.deleted_objects.append(row.instance)
                row.instance.delete()


class CompleteForm(forms.Form):
    on = forms.DateField(label=_("实际完成日期"), required=False, help_text=_("不填为今天。"))


@admin.register(Milestone)
class MilestoneAdmin(ScopedAdmin):
    """The milestones of resolved matters across the committees (督办): filter 逾期 for those late, mark done.
    They are added on the matter's page (its follow-up)."""

    list_display = ["title", "matter", "committee", "owner", "owner_unit", "due_on", "done_on", "late_days"]
    list_filter = [OverdueMilestoneFilter, "matter__status", "matter__committee__kind"]
    list_select_related = ["matter__committee", "owner", "owner_unit"]
    search_fields = ["title", "matter__title"]
    raw_id_fields = ["owner", "owner_unit"]
    fields = ["matter", "title", "owner", "owner_unit", "due_on", "sort_order", "done_on", "done_by", "reminded_at"]
    readonly_fields = ["matter", "done_on"]
    ordering = ["due_on", "id"]
    transitions = (
        Transition(
            "complete",
            _("登记完成"),
            actions.complete_milestone,
            when=(None,),
            state_field="done_on",
            form=CompleteForm,
            done=_("已登记完成"),
        ),
    )

    def has_add_permission(self, request, *args):
        return False  # added on the resolved matter's page, through the follow-up

    def has_delete_permission(self, request, obj=None):
        return False  # a milestone is deleted from its matter's page

    @admin.display(description=_("委员会"), ordering="matter__committee__name")
    def committee(self, obj):
        return obj.matter.committee.name

    @admin.display(description=_("逾期天数"))
    def late_days(self, obj):
        if obj.done_on is None and obj.matter.status != Matter.Status.RESOLVED:
            return "—"
        days = obj.days_late(timezone.localdate())
        return _("%(n)d 天") % {"n": days} if days else "—"

    def save_model(self, request, obj, form, change):
        edited = {f: form.cleaned_data.get(f) for f in form.changed_data if f in MILESTONE_FIELDS}
        if edited:
            actions.edit_milestone(by=request.user, milestone=Milestone.objects.get(pk=obj.pk), **edited)
