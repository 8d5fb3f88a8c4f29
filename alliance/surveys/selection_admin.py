"""Admin of the selections (评选): a draft with its candidates is set up here, and moved along by buttons that call
alliance.surveys.actions (the state is read-only; the candidates are fixed once voting starts). Staff see the live
counts; the votes themselves (who voted for whom) are not shown anywhere."""

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from alliance.core.admin_base import ScopedAdmin, ScopedInline, Transition, adopt
from alliance.core.export_admin import RelatedExport
from alliance.core.photos import clean_photo
from alliance.core.todo import todo_filter
from alliance.surveys import actions, todo
from alliance.surveys.models import Candidate, Selection
from alliance.surveys.selection_exports import RESULTS, SELECTIONS, results_of

PHOTO_MAX_BYTES = 5 * 1024 * 1024
S = Selection.Status
CANDIDATE_FIELDS = ("name", "story", "photo", "community", "position")
# What can still change once voting starts (the rest is fixed): the rules, and a later end.
WHILE_VOTING = {"description", "ends_at"}
SELECTION_FIELDS = ["title", "description", "grid_node", "starts_at", "ends_at", "places"]


class CandidateForm(forms.ModelForm):
    class Meta:
        model = Candidate
        fields = list(CANDIDATE_FIELDS)

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if isinstance(photo, UploadedFile):
            return clean_photo(photo, max_bytes=PHOTO_MAX_BYTES)
        return photo


class CandidateInline(ScopedInline):
    model = Candidate
    form = CandidateForm
    fields = [*CANDIDATE_FIELDS, "vote_count"]
    readonly_fields = ["vote_count"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("community").annotate(live_votes=Count("votes"))

    @admin.display(description=_("当前票数"))
    def vote_count(self, obj):
        return getattr(obj, "live_votes", 0) if obj.pk else "—"

    def _draft(self, obj) -> bool:
        return obj is None or obj.status == S.DRAFT

    def has_add_permission(self, request, obj=None):
        return self._draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._draft(obj) and self._can_edit(request)


@admin.register(Selection)
class SelectionAdmin(ScopedAdmin):
    export = SELECTIONS
    related_exports = (RelatedExport("export_results", _("导出所选评选的结果"), RESULTS, results_of),)
    list_display = ["title", "grid_node", "starts_at", "ends_at", "status", "candidate_total", "vote_total"]
    list_filter = [todo_filter(todo.LINES), "status"]
    search_fields = ["title"]
    date_hierarchy = "starts_at"
    list_select_related = ["grid_node"]
    inlines = [CandidateInline]
    fieldsets = [
        (None, {"fields": SELECTION_FIELDS}),
        (
            _("状态"),
            {
                "fields": [
                    "status",
                    "created_at",
                    "created_by",
                    "opened_at",
                    "opened_by",
                    "closed_at",
                    "closed_by",
                    "published_at",
                    "published_by",
                ]
            },
        ),
    ]
    transitions = (
        Transition(
            "open_voting", _("开始投票"), actions.open_voting, arg="selection", when=(S.DRAFT,), done=_("已开始投票")
        ),
        Transition(
            "close_voting", _("结束投票"), actions.close_voting, arg="selection", when=(S.VOTING,), done=_("已结束投票")
        ),
        Transition(
            "publish_results",
            _("公布结果"),
            actions.publish_selection_results,
            arg="selection",
            when=(S.CLOSED,),
            done=_("已公布结果"),
        ),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(candidate_total=Count("candidates", distinct=True), vote_total=Count("votes", distinct=True))
        )

    @admin.display(description=_("候选对象数"), ordering="candidate_total")
    def candidate_total(self, obj):
        return obj.candidate_total

    @admin.display(description=_("已投票人数"), ordering="vote_total")
    def vote_total(self, obj):
        return obj.vote_total

    def has_delete_permission(self, request, obj=None):
        # Only a draft may be deleted: once voting started, the votes and the result are kept.
        return (obj is None or obj.status == S.DRAFT) and super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fixed = []
        if obj is not None and obj.status != S.DRAFT:
            fixed = [f for f in SELECTION_FIELDS if obj.status != S.VOTING or f not in WHILE_VOTING]
        return [*super().get_readonly_fields(request, obj), *fixed]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            created = actions.create_selection(
                by=request.user,
                title=data["title"],
                grid_node=data["grid_node"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                description=data.get("description", ""),
                places=data.get("places") or 3,
            )
            adopt(obj, created)
            return
        changed = {name: data[name] for name in form.changed_data if name in SELECTION_FIELDS}
        if changed:
            actions.update_selection(by=request.user, selection=obj, **changed)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Candidate:
            return super().save_formset(request, form, formset, change)
        selection = form.instance
        for inline_form in formset.forms:
            if not inline_form.has_changed() and inline_form.instance.pk is None:
                continue
            candidate = inline_form.instance
            if inline_form in formset.deleted_forms:
                if candidate.pk:
                    actions.remove_candidate(by=request.user, candidate=candidate)
                continue
            data = {f: inline_form.cleaned_data.get(f) for f in CANDIDATE_FIELDS}
            if candidate.pk is None:
                actions.add_candidate(
                    by=request.user,
                    selection=selection,
                    name=data["name"],
                    community=data["community"],
                    story=data["story"] or "",
                    photo=data["photo"] or None,
                    position=data["position"] or 0,
                )
            elif inline_form.changed_data:
                candidate.refresh_from_db()
                changes = {f: data[f] for f in inline_form.changed_data if f in CANDIDATE_FIELDS}
                if changes.get("photo") is False:  # the photo cleared
                    changes["photo"] = ""
                actions.update_candidate(by=request.user, candidate=candidate, **changes)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        return None
