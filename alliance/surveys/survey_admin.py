"""Admin of the questionnaires: staff build a survey and its questions (saved through the actions), move it
draft → open → closed → published with buttons, read its live results, export the answers, and turn text answers
into needs (转为需求)."""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from alliance.core.admin_base import ScopedAdmin, ScopedInline, Transition
from alliance.core.admin_parts import given
from alliance.core.todo import todo_filter
from alliance.surveys import actions, todo
from alliance.surveys.actions.surveys import SURVEY_FIELDS
from alliance.surveys.exports import ANSWERS, SURVEYS
from alliance.surveys.models import Answer, Question, Survey
from projects.models import Category

S = Survey.Status


class QuestionInline(ScopedInline):
    model = Question
    fields = ["position", "text", "kind", "required", "options", "scale_min", "scale_max"]
    formfield_overrides = {Question._meta.get_field("options"): {"widget": forms.Textarea(attrs={"rows": 3})}}

    def _locked(self, obj) -> bool:
        # Questions cannot change once someone has answered (the action refuses too).
        return obj is not None and (obj.status not in (S.DRAFT, S.OPEN) or obj.responses.exists())

    def get_readonly_fields(self, request, obj=None):
        return self.fields if self._locked(obj) else super().get_readonly_fields(request, obj)

    def has_add_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj) and self._can_edit(request)


class CategoryForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("需求类别"),
        queryset=Category.objects.filter(is_active=True).order_by("parent_id", "name"),
        help_text=_("每条文字回答生成一条需求，发布到需求清单；需求说明注明来自哪份问卷。"),
    )


@admin.register(Survey)
class SurveyAdmin(ScopedAdmin):
    export = SURVEYS
    inlines = [QuestionInline]
    list_display = ["title", "kind", "grid_node", "status", "starts_at", "ends_at", "response_count", "live_link"]
    list_filter = [todo_filter(todo.LINES), "status", "kind"]
    search_fields = ["title"]
    list_select_related = ["grid_node"]
    date_hierarchy = "starts_at"
    fields = [
        *SURVEY_FIELDS,
        "status",
        "live_link",
        "created_at",
        "created_by",
        "opened_at",
        "opened_by",
        "closed_at",
        "closed_by",
        "published_at",
        "published_by",
    ]
    readonly_fields = ["live_link", "created_at"]
    transitions = (
        Transition("open_survey", _("发布问卷"), actions.open_survey, arg="survey", when=(S.DRAFT,), done=_("已发布")),
        Transition("close_survey", _("结束征集"), actions.close_survey, arg="survey", when=(S.OPEN,), done=_("已结束")),
        Transition(
            "publish_results", _("公布结果"), actions.publish_results, arg="survey", when=(S.CLOSED,), done=_("已公布")
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(responses_n=Count("responses"))

    @admin.display(description=_("答卷数"), ordering="responses_n")
    def response_count(self, obj):
        return getattr(obj, "responses_n", 0)

    @admin.display(description=_("实时结果"))
    def live_link(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("surveys:live", args=[obj.pk]), _("查看统计"))

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            fields = {name: data[name] for name in form.changed_data if name in SURVEY_FIELDS}
            fresh = Survey.objects.get(pk=obj.pk)
            made = actions.update_survey(by=request.user, survey=fresh, **fields)
        else:
            made = actions.create_survey(
                by=request.user,
                grid_node=data["grid_node"],
                title=data["title"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                **given(data, [n for n in SURVEY_FIELDS if n not in ("grid_node", "title", "starts_at", "ends_at")]),
            )
        obj.__dict__.update(made.__dict__)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Question:
            return super().save_formset(request, form, formset, change)
        # Every question is saved (or deleted) by the action: none once someone has answered.
        for question in formset.save(commit=False):
            question.survey = form.instance
            actions.save_question(by=request.user, question=question)
        for question in formset.deleted_objects:
            actions.delete_question(by=request.user, question=question)
        return None


@admin.register(Answer)
class AnswerAdmin(ScopedAdmin):
    """The answers, to read, export and turn into needs: a question's answers are its filter (题目)."""

    export = ANSWERS
    list_display = ["answer_text", "question", "survey", "area", "submitted_at", "need"]
    list_filter = ["question__survey__kind", "question__kind", ("need", admin.EmptyFieldListFilter)]
    search_fields = ["text", "question__text", "question__survey__title"]
    list_select_related = ["question__survey", "response__area", "need"]
    fields = ["survey", "question", "answer_text", "area", "submitted_at", "need", "converted_at", "converted_by"]
    readonly_fields = fields
    transitions = (
        Transition(
            "to_need",
            _("转为需求"),
            actions.answer_to_need,
            arg="answer",
            form=CategoryForm,
            bulk_label=_("所选文字回答转为需求"),
            done=_("已转为需求"),
        ),
    )

    @admin.display(description=_("回答"))
    def answer_text(self, obj):
        return obj.shown

    @admin.display(description=_("问卷"))
    def survey(self, obj):
        return obj.question.survey

    @admin.display(description=_("作答人所在网格"))
    def area(self, obj):
        return obj.response.area or "—"

    @admin.display(description=_("提交时间"), ordering="response__submitted_at")
    def submitted_at(self, obj):
        return obj.response.submitted_at

    def lookup_allowed(self, lookup, value, request=None):
        # The live results page links to one question's answers (?question__id__exact=<pk>).
        return lookup == "question__id__exact" or super().lookup_allowed(lookup, value, request)

    def has_add_permission(self, request, *args):
        return False  # residents answer on the portal

    def has_delete_permission(self, request, obj=None):
        return False
