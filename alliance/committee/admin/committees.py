"""Admin of committees, with their seats and chair rotations, their statistics page, and the settings row."""

from django.contrib import admin
from django.core.exceptions import BadRequest, PermissionDenied
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alliance.committee import actions, selectors
from alliance.committee.models import ChairRotation, Committee, CommitteeSettings, Seat
from alliance.committee.portal_views import StatisticsQuery
from alliance.committee.stats_export import statistics_workbook
from alliance.core.admin_base import ScopedAdmin, ScopedInline, SingletonAdmin
from alliance.core.admin_parts import run_each
from alliance.core.exports import xlsx_response
from alliance.core.querying import error_messages, page_status, read_query
from alliance.core.replica import reads_from_replica
from alliance.core.scoping import sees_all


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
    readonly_fields = ["supervision"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if not sees_all(request.user) and "grid_node" in form.base_fields:
            # Only superusers and district admins keep the district's committees (no grid node).
            form.base_fields["grid_node"].required = True
        return form

    @admin.display(description=_("议定事项落实（督办）"))
    def supervision(self, obj):
        """What is on time and what is late in the follow-up of the committee's resolved matters."""
        if obj is None or obj.pk is None:
            return "—"
        summary = selectors.follow_up_summary([obj.pk])
        html = render_to_string("alliance/_follow_up.html", {"supervision": summary, "matter_links": True})
        # one line: the admin turns a read-only value's line breaks into <br> (the template's output is escaped)
        return mark_safe("".join(line.strip() for line in html.splitlines()))  # noqa: S308

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
        view = self.admin_site.admin_view(reads_from_replica(self.statistics_view))
        return [path("statistics/", view, name="alliance_committee_statistics"), *super().get_urls()]

    def statistics_view(self, request):
        """Meetings held and matters raised, studied, resolved and deferred in the user's subtree."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        query = read_query(request, StatisticsQuery)
        if "export" in request.GET and query.errors:  # a download cannot show the error: the 400 page does
            raise BadRequest("；".join(error_messages(query)))
        period, year = query.value("period"), query.value("year") or timezone.localdate().year
        committee_ids = list(self.get_queryset(request).values_list("id", flat=True))
        rows = selectors.committee_statistics(period=period, year=year, committee_ids=committee_ids)
        if "export" in request.GET:
            return xlsx_response(
                statistics_workbook(rows),
                gettext("大工委统计-%(year)s.xlsx") % {"year": year},
                f"committee-statistics-{year}.xlsx",
            )
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

    @admin.action(description=_("按委员单位生成轮值（自本月起，周期见大工委设置）"))
    def generate_rotation(self, request, queryset):
        months = CommitteeSettings.load().rotation_months
        starts_on = timezone.localdate().replace(day=1)
        run_each(
            self,
            request,
            queryset,
            lambda c: actions.generate_rotation(by=request.user, committee=c, starts_on=starts_on, months=months),
            gettext("已生成轮值"),
        )


@admin.register(CommitteeSettings)
class CommitteeSettingsAdmin(SingletonAdmin):
    """One row for the district; street admins may change it."""

    list_display = ["__str__", "deliberation_day", "meeting_time", "rotation_months"]
