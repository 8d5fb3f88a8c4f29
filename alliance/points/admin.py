"""Admin of points (党员积分): the rules, the entries and their corrections, monthly rankings, service-hours
targets and star ratings. Everything is scoped (``ScopedAdmin``); entries and ratings are read-only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from alliance.core.admin_base import NeitherAddedNorChanged, ScopedAdmin, ScopedInline
from alliance.core.admin_parts import run_each
from alliance.core.export_admin import RelatedExport
from alliance.core.search import GramSearch, GramSearchAdmin
from alliance.points import awards, rankings, reasons
from alliance.points.exports import ENTRIES, RANKING_ROWS, STAR_RATINGS, rows_of
from alliance.points.models import (
    PointsEntry,
    PointsRanking,
    PointsRankingRow,
    PointsRule,
    ServiceHoursTarget,
    StarRating,
    WallSnapshot,
    WallSnapshotRow,
)
from members.admin import PARTY_MEMBER_SEARCH, UNIT_SEARCH
from members.models import MemberUnit, PartyMember


class ReadOnlyAdmin(NeitherAddedNorChanged, ScopedAdmin):
    """Rows written only by the points code (awards, corrections, the monthly job): shown, never edited here."""

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PointsRule)
class PointsRuleAdmin(ScopedAdmin):
    """District-wide rules: street admins may change them; every change is kept in the history."""

    street_admin_edits = True
    list_display = ["kind", "points", "min_rating", "description"]
    list_editable = ["points", "min_rating"]


@admin.register(PointsEntry)
class PointsEntryAdmin(GramSearchAdmin, ReadOnlyAdmin):
    """Entries come only from verified transitions; a correction is a new entry (action below)."""

    export = ENTRIES

    list_display = ["occurred_on", "member", "unit", "kind", "points", "hours", "reason_shown", "corrects"]
    list_filter = ["kind", ("occurred_on", admin.DateFieldListFilter)]
    # A party member's or a unit's name, each through its table's gram index (the reason is a few fixed texts:
    # the kind filter narrows by it; searching 280,000 reasons would scan them all).
    search_fields = ["member__name", "unit__name"]
    gram_search = GramSearch(
        (),
        related=(("member", PartyMember, PARTY_MEMBER_SEARCH, ("name",)), ("unit", MemberUnit, UNIT_SEARCH, ("name",))),
    )
    list_select_related = ["member", "unit", "corrects"]
    actions = ["reverse_entries"]

    @admin.display(description=_("事由"), ordering="reason")
    def reason_shown(self, entry):
        return entry.reason_text

    @admin.action(description=_("更正：冲销所选记录（新增相反分值的更正记录）"))
    def reverse_entries(self, request, queryset):
        run_each(
            self,
            request,
            queryset.exclude(kind="correction"),
            lambda e: awards.correct_points(by=request.user, entry=e, points=-e.points, reason=reasons.REVERSED),
            _("已更正"),
        )


class PointsRankingRowInline(ScopedInline):
    model = PointsRankingRow
    fields = ("rank", "name", "unit_name", "community_name", "points")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PointsRanking)
class PointsRankingAdmin(ScopedAdmin):
    related_exports = (RelatedExport("export_rows", _("导出所选月度排行的名单"), RANKING_ROWS, rows_of),)
    list_display = ["street", "year", "month", "status", "published_at", "published_by"]
    list_filter = ["status", "year"]
    readonly_fields = ["status", "published_at", "published_by"]
    inlines = [PointsRankingRowInline]
    actions = ["publish"]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)  # the workflow fields (ScopedAdmin)
        if obj is not None:  # a ranking's street and month are fixed once created
            return ["street", "year", "month", *fields]
        return fields

    @admin.action(description=_("发布并冻结所选月度排行"))
    def publish(self, request, queryset):
        run_each(
            self,
            request,
            queryset,
            lambda r: rankings.publish_ranking(by=request.user, street=r.street, year=r.year, month=r.month),
            _("已发布"),
        )


@admin.register(ServiceHoursTarget)
class ServiceHoursTargetAdmin(ScopedAdmin):
    list_display = ["street", "year", "hours"]
    list_filter = ["year"]


@admin.register(StarRating)
class StarRatingAdmin(ReadOnlyAdmin):
    export = STAR_RATINGS
    list_display = [
        "year",
        "month",
        "unit",
        "station",
        "stars",
        "score",
        "rating_avg",
        "timely_share",
        "activity_count",
    ]
    list_filter = ["year", "month", "stars"]
    search_fields = ["unit__name", "station__name"]
    list_select_related = ["unit", "station"]


class WallSnapshotRowInline(ScopedInline):
    model = WallSnapshotRow
    fields = ("rank", "name", "index", "points", "completed_claims")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WallSnapshot)
class WallSnapshotAdmin(ReadOnlyAdmin):
    """The walls kept by the monthly job (每月1日留存上月公示): shown as they were posted, never edited."""

    list_display = ["year", "month", "station", "board", "stars", "taken_at"]
    list_filter = ["year", "month", "board"]
    search_fields = ["station__name"]
    list_select_related = ["station"]
    inlines = [WallSnapshotRowInline]
