"""Admin of the joint committee: committees with seats and rotations, meetings with agenda and attendance,
matters with their follow-up, and the settings row. Transitions go through alliance.committee.actions."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from alliance.committee import actions, selectors
from alliance.committee.models import (
    AgendaItem,
    ChairRotation,
    Committee,
    CommitteeSettings,
    Invitation,
    Matter,
    Meeting,
    Milestone,
    Seat,
)
from alliance.committee.stats_export import XLSX, statistics_workbook
from alliance.core.admin_base import ScopedAdmin, ScopedInline, SingletonAdmin, Transition, adopt, reason_form


def _run(modeladmin, request, queryset, func, done: str, **kwargs) -> None:
    """Apply a transition to each selected row; report successes and the reasons of refusals."""
    ok = 0
    for obj in queryset:
        try:
            func(by=request.user, **{modeladmin.model._meta.model_name: obj}, **kwargs)
        except (ValidationError, PermissionDenied) as exc:
            text = " ".join(getattr(exc, "messages", [])) or str(exc)
            modeladmin.message_user(request, f"{obj}:{text}", messages.ERROR)
        else:
            ok += 1
    if ok:
        modeladmin.message_user(request, f"{done} {ok} 条。", messages.SUCCESS)


class SeatInline(ScopedInline):
    model = Seat
    fields = ["role", "person_name", "title", "unit", "user", "term_start", "term_end", "sort_order"]
    autocomplete_fields = []
    raw_id_fields = ["user", "unit"]


class RotationInline(ScopedInline):
    model = ChairRotation
    fields = ["unit", "starts_on", "ends_on"]
    raw_id_fields = ["unit"]


@admin.register(Committee)
class CommitteeAdmin(ScopedAdmin):
    change_list_template = "alliance/admin/committee_changelist.html"
    list_display = ["name", "kind", "field", "grid_node", "current_chair", "holds_monthly_deliberation"]
    list_filter = ["kind", "field", "holds_monthly_deliberation"]
    search_fields = ["name"]
    list_select_related = ["grid_node"]
    inlines = [SeatInline, RotationInline]
    actions = ["generate_rotation"]

    def get_queryset(self, request):
        # The current chair of every row in one more query, not one per row.
        today = timezone.localdate()
        current = ChairRotation.objects.filter(starts_on__lte=today, ends_on__gte=today).select_related("unit")
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("rotations", queryset=current, to_attr="current_rotations"))
        )

    @admin.display(description=_("当前轮值主任单位"))
    def current_chair(self, obj):
        rotations = getattr(obj, "current_rotations", None)
        return rotations[0].unit.name if rotations else "—"

    def get_urls(self):
        view = self.admin_site.admin_view(self.statistics_view)
        return [path("statistics/", view, name="alliance_committee_statistics"), *super().get_urls()]

    def statistics_view(self, request):
        """Meetings held and matters raised, studied, resolved and deferred in the user's subtree."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        from alliance.committee.portal_views import StatisticsQuery
        from alliance.core.querying import error_messages, page_status, read_query

        query = read_query(request, StatisticsQuery)
        if "export" in request.GET and query.errors:  # a download cannot show the error: the 400 page does
            raise BadRequest("；".join(error_messages(query)))
        period, year = query.value("period"), query.value("year") or timezone.localdate().year
        committee_ids = list(self.get_queryset(request).values_list("id", flat=True))
        rows = selectors.committee_statistics(period=period, year=year, committee_ids=committee_ids)
        if "export" in request.GET:
            response = HttpResponse(statistics_workbook(rows), content_type=XLSX)
            response["Content-Disposition"] = f'attachment; filename="committee-statistics-{year}.xlsx"'
            return response
        totals = {key: sum(r[key] for r in rows) for key, _ in selectors.STAT_COLUMNS[2:]}
        peak = max([r[key] for r in rows for key in ("meetings_held", "matters_resolved")] or [1]) or 1
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("大工委统计"),
            "rows": rows,
            "totals": totals,
            "peak": peak,
            "columns": selectors.STAT_COLUMNS,
            "periods": selectors.PERIODS,
            "period": period,
            "year": year,
        }
        return TemplateResponse(request, "alliance/admin/statistics.html", context, status=page_status(request, query))

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "statistics_url": reverse("admin:alliance_committee_statistics")}
        return super().changelist_view(request, extra_context)

    @admin.action(description=_("按委员单位生成轮值(自本月起,周期见大工委设置)"))
    def generate_rotation(self, request, queryset):
        months = CommitteeSettings.load().rotation_months
        starts_on = timezone.localdate().replace(day=1)
        _run(self, request, queryset, actions.generate_rotation, "已生成轮值", starts_on=starts_on, months=months)


class AgendaInline(ScopedInline):
    model = AgendaItem
    fields = ["position", "matter", "note"]
    raw_id_fields = ["matter"]


class InvitationInline(ScopedInline):
    model = Invitation
    fields = ["seat", "unit", "answer", "answered_at", "checked_in", "checked_in_at"]
    # The answer is the invitee's; attendance is ticked here and recorded by actions.check_in (MeetingAdmin).
    workflow_fields = ["answer"]
    raw_id_fields = ["seat", "unit"]


def _hold(by, meeting, **inputs):
    """Held, with the invitations checked in so far as the attendance and the minutes written so far."""
    attended = list(meeting.invitations.filter(checked_in=True).values_list("seat_id", flat=True))
    return actions.hold_meeting(
        by=by, meeting=meeting, minutes=meeting.minutes, decisions=meeting.decisions, attended_seat_ids=attended
    )


@admin.register(Meeting)
class MeetingAdmin(ScopedAdmin):
    list_display = ["title", "committee", "kind", "starts_at", "place", "status", "has_minutes"]
    list_filter = ["status", "kind", "committee__kind"]
    search_fields = ["title", "place", "committee__name"]
    date_hierarchy = "starts_at"
    list_select_related = ["committee"]
    inlines = [AgendaInline, InvitationInline]
    readonly_fields = ["status", "held_at", "held_by", "minutes_at", "cancelled_at", "cancelled_by", "cancel_reason"]
    workflow_fields = ["cancel_reason", "deliberation_month"]
    fieldsets = [
        (None, {"fields": ["committee", "kind", "title", "summary", "starts_at", "ends_at", "place"]}),
        (_("会议记录"), {"fields": ["minutes", "decisions"]}),
        (_("状态"), {"fields": readonly_fields}),
    ]
    transitions = (
        Transition(
            "mark_held",
            _("登记为已召开(已签到的为出席)"),
            _hold,
            arg="meeting",
            when=("scheduled",),
            done=_("已登记召开"),
        ),
        Transition(
            "cancel",
            _("取消会议"),
            actions.cancel_meeting,
            arg="meeting",
            when=("scheduled",),
            form=reason_form(_("取消原因")),
            done=_("已取消"),
        ),
    )
    actions = ["invite_seats"]

    @admin.display(description=_("纪要"), boolean=True)
    def has_minutes(self, obj):
        return bool(obj.minutes)

    def save_model(self, request, obj, form, change):
        if not change:
            # Scheduled by the action: the manager's scope, the default place, an invitation for every seat.
            data = form.cleaned_data
            created = actions.schedule_meeting(
                by=request.user,
                committee=obj.committee,
                title=obj.title,
                starts_at=obj.starts_at,
                ends_at=obj.ends_at,
                place=obj.place,
                kind=obj.kind,
                summary=obj.summary,
            )
            if data.get("minutes") or data.get("decisions"):
                created.minutes, created.decisions = obj.minutes, obj.decisions
                created.save(update_fields=["minutes", "decisions"])
            adopt(obj, created)
            return
        if {"minutes", "decisions"} & set(form.changed_data) and obj.status == Meeting.Status.HELD:
            actions.record_minutes(by=request.user, meeting=obj, minutes=obj.minutes, decisions=obj.decisions)
            return
        if "minutes" in form.changed_data and obj.minutes and obj.minutes_at is None:
            obj.minutes_at = timezone.now()
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Invitation:
            return super().save_formset(request, form, formset, change)
        # Attendance ticked here is recorded by the action (scope, stamp); a tick is not taken back here.
        ticked = []
        for inline_form in formset.forms:
            if "checked_in" not in inline_form.changed_data or inline_form in formset.deleted_forms:
                continue
            if inline_form.cleaned_data.get("checked_in"):
                ticked.append(inline_form.instance)
            inline_form.instance.checked_in = bool(inline_form.initial.get("checked_in"))
        super().save_formset(request, form, formset, change)
        for invitation in ticked:
            actions.check_in(by=request.user, invitation=invitation)

    @admin.action(description=_("邀请现任全体委员(已邀请的不重复)"))
    def invite_seats(self, request, queryset):
        invited = 0
        for meeting in queryset.filter(status=Meeting.Status.SCHEDULED):
            try:
                invited += actions.invite_seats(by=request.user, meeting=meeting)
            except PermissionDenied as exc:
                self.message_user(request, f"{meeting}:{exc}", messages.ERROR)
        self.message_user(request, f"新邀请委员 {invited} 人次。", messages.SUCCESS)


class FollowUpForm(forms.Form):
    progress = forms.IntegerField(label=_("落实进度(%)"), min_value=0, max_value=100)
    note = forms.CharField(label=_("进度说明"), required=False, max_length=200)


class MilestoneInline(ScopedInline):
    model = Milestone
    fields = ["sort_order", "title", "due_on", "done_on"]


@admin.register(Matter)
class MatterAdmin(ScopedAdmin):
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
            arg="matter",
            when=("proposed", "deferred"),
            done=_("已转入研究"),
        ),
        Transition(
            "resolve",
            _("议决"),
            actions.resolve_matter,
            arg="matter",
            when=("under_study",),
            form=reason_form(_("议决结果"), name="resolution", max_length=2000),
            done=_("已议决"),
        ),
        Transition(
            "defer",
            _("暂缓"),
            actions.defer_matter,
            arg="matter",
            when=("proposed", "under_study"),
            form=reason_form(_("暂缓原因")),
            done=_("已暂缓"),
        ),
        Transition(
            "hand_on",
            _("转为项目清单中的项目"),
            actions.hand_on_matter,
            arg="matter",
            when=("resolved",),
            done=_("已转为项目"),
        ),
        Transition(
            "follow_up",
            _("登记落实进度"),
            actions.update_follow_up,
            arg="matter",
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

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        created = actions.raise_matter(
            by=request.user,
            committee=obj.committee,
            title=obj.title,
            description=obj.description,
            unit=obj.raised_by_unit,
        )
        adopt(obj, created)

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


@admin.register(CommitteeSettings)
class CommitteeSettingsAdmin(SingletonAdmin):
    """One row for the district; street admins may change it."""

    list_display = ["__str__", "deliberation_day", "meeting_time", "rotation_months"]


# ---------------------------------------------------------------------------
# News and notices; the beat schedule with each job's last run; the runs themselves.
# ---------------------------------------------------------------------------

from celery.states import READY_STATES  # noqa: E402
from django.core.files.uploadedfile import UploadedFile  # noqa: E402
from django.db.models import OuterRef, Subquery  # noqa: E402
from django_celery_beat.admin import CrontabScheduleAdmin as BeatCrontabAdmin  # noqa: E402
from django_celery_beat.admin import IntervalScheduleAdmin as BeatIntervalAdmin  # noqa: E402
from django_celery_beat.admin import PeriodicTaskAdmin as BeatPeriodicTaskAdmin  # noqa: E402
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask  # noqa: E402
from django_celery_results.models import TaskResult  # noqa: E402

from alliance.committee import news  # noqa: E402
from alliance.committee.models import Article, ArticleAttachment, JobRun  # noqa: E402
from alliance.core.admin_base import is_admin_user  # noqa: E402
from alliance.core.photos import clean_photo  # noqa: E402


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = ["kind", "title", "summary", "body", "cover", "grid_node", "source", "publish_at", "pinned", "status"]

    def clean_cover(self):
        cover = self.cleaned_data.get("cover")
        if isinstance(cover, UploadedFile):
            return clean_photo(cover, max_bytes=news.COVER_MAX_BYTES)
        return cover


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = ArticleAttachment
        fields = ["name", "file"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            self.instance.size = news.check_attachment(upload)
        return upload


class AttachmentInline(ScopedInline):
    model = ArticleAttachment
    form = AttachmentForm
    fields = ["name", "file", "size"]
    readonly_fields = ["size"]


@admin.register(Article)
class ArticleAdmin(ScopedAdmin):
    form = ArticleForm
    list_display = ["title", "kind", "grid_node", "status", "pinned", "publish_at", "author"]
    list_filter = ["kind", "status", "pinned"]
    search_fields = ["title", "summary"]
    date_hierarchy = "publish_at"
    list_select_related = ["grid_node", "author"]
    readonly_fields = ["author", "created_at", "updated_at"]
    fields = [
        "kind",
        "title",
        "summary",
        "body",
        "cover",
        "grid_node",
        "source",
        "publish_at",
        "pinned",
        "status",
        "author",
        "created_at",
        "updated_at",
    ]
    inlines = [AttachmentInline]
    # Drafts are published (and withdrawn) by the buttons, which check the editor's scope and the body.
    workflow_fields = ["author"]
    transitions = (
        Transition("publish", _("发布"), news.publish, arg="article", when=("draft",), done=_("已发布")),
        Transition(
            "withdraw", _("撤回(改为草稿)"), news.withdraw, arg="article", when=("published",), done=_("已撤回")
        ),
    )

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)


class StreetEditsSchedules:
    """Schedules: every admin sees them; street admins (and superusers) change them, community admins do not."""

    def _can_edit(self, request) -> bool:
        user = request.user
        return user.is_superuser or (is_admin_user(user) and user.role == user.Role.STREET_ADMIN)

    def has_module_permission(self, request):
        return is_admin_user(request.user)

    def has_view_permission(self, request, obj=None):
        return is_admin_user(request.user)

    def has_add_permission(self, request, *args):
        return self._can_edit(request)

    def has_change_permission(self, request, obj=None):
        return self._can_edit(request)

    def has_delete_permission(self, request, obj=None):
        return self._can_edit(request)

    def get_actions(self, request):
        # The beat admin's actions (enable, disable, run now) change schedules: editors only.
        return super().get_actions(request) if self._can_edit(request) else {}


def _last_run(field: str) -> Subquery:
    return Subquery(JobRun.objects.filter(task_name=OuterRef("task")).order_by("-date_created").values(field)[:1])


# The task results are listed as the runs of periodic jobs (JobRun, read-only) instead of the library's admin.
for _model in (PeriodicTask, CrontabSchedule, IntervalSchedule, TaskResult):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(PeriodicTask)
class PeriodicTaskAdmin(StreetEditsSchedules, BeatPeriodicTaskAdmin):
    """The beat schedule of every job, with the last run recorded by the worker and its outcome."""

    list_display = ["name", "enabled", "scheduler", "last_job_started", "last_job_status", "last_job_result", "task"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                last_job_started=_last_run("date_created"),
                last_job_status=_last_run("status"),
                last_job_result=_last_run("result"),
            )
        )

    @admin.display(description=_("最近运行"), ordering="last_job_started")
    def last_job_started(self, obj):
        return obj.last_job_started

    @admin.display(description=_("运行结果"))
    def last_job_status(self, obj):
        if not obj.last_job_status:
            return _("尚未运行")
        label = JobRun.status_label(obj.last_job_status)
        colour = {"SUCCESS": "#2e7d32", "FAILURE": "#c62828"}.get(obj.last_job_status, "#555")
        return format_html('<span style="color:{}">{}</span>', colour, label)

    @admin.display(description=_("返回值或错误"))
    def last_job_result(self, obj):
        return (obj.last_job_result or "")[:80]


@admin.register(CrontabSchedule)
class CrontabScheduleAdmin(StreetEditsSchedules, BeatCrontabAdmin):
    pass


@admin.register(IntervalSchedule)
class IntervalScheduleAdmin(StreetEditsSchedules, BeatIntervalAdmin):
    pass


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    """Each run of a periodic job (read-only; TaskResult rows written by Celery's result backend)."""

    list_display = ["task_name", "periodic_task_name", "started", "finished", "status_label", "short_result"]
    list_filter = ["status", "task_name"]
    search_fields = ["task_name", "periodic_task_name", "task_id"]
    date_hierarchy = "date_created"
    list_per_page = 50
    show_full_result_count = False

    @admin.display(description=_("开始时间"), ordering="date_created")
    def started(self, obj):
        return obj.date_started or obj.date_created

    @admin.display(description=_("结束时间"), ordering="date_done")
    def finished(self, obj):
        return obj.date_done if obj.status in READY_STATES else None

    @admin.display(description=_("结果"), ordering="status")
    def status_label(self, obj):
        return JobRun.status_label(obj.status)

    @admin.display(description=_("返回值或错误"))
    def short_result(self, obj):
        return (obj.result or "")[:80]

    def has_module_permission(self, request):
        return is_admin_user(request.user)

    def has_view_permission(self, request, obj=None):
        return is_admin_user(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
