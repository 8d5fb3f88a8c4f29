"""The assessment in the admin: weights, year-end assessments and quarterly micro-grid stars, street admins only.

States and results are read-only; 计算 and 发布 are Transition buttons calling the actions; the rows are inlines and
read-only change lists with their Excel exports.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from alliance.assessment import actions
from alliance.assessment.exports import GRID_STARS, RESULTS, results_of, stars_of
from alliance.assessment.models import (
    WEIGHT_FIELDS,
    Assessment,
    AssessmentResult,
    AssessmentWeights,
    GridStar,
    GridStarRating,
    Status,
)
from alliance.core.admin_base import NeitherAddedNorChanged, ReadOnlyInline, ScopedAdmin, Transition, adopt
from alliance.core.export_admin import RelatedExport

RESULT_FIELDS = (
    "kind",
    "rank",
    "name",
    "grade",
    "total",
    "claims_done",
    "claims_score",
    "orders_delivered",
    "services_score",
    "meetings_attended",
    "meetings_score",
    "issues_in_time",
    "issues_score",
    "satisfaction_avg",
    "satisfaction_score",
)
STAR_FIELDS = (
    "rank",
    "name",
    "stars",
    "score",
    "issues_reported",
    "issues_in_time",
    "rating_avg",
    "activities",
    "orders_delivered",
)


class StreetAdminsEdit:
    """Only street admins (and superusers) add and change; community admins see nothing of their street's."""

    def _can_edit(self, request) -> bool:
        user = request.user
        return user.is_superuser or (
            user.is_active and user.is_staff and user.role in (user.Role.STREET_ADMIN, user.Role.DISTRICT_ADMIN)
        )

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(AssessmentWeights)
class AssessmentWeightsAdmin(StreetAdminsEdit, ScopedAdmin):
    list_display = ["street", "year", *WEIGHT_FIELDS, "set_by", "set_at"]
    list_filter = ["year"]
    fields = ["street", "year", *WEIGHT_FIELDS, "set_by", "set_at"]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return ["street", "year", *fields] if obj is not None else fields

    def save_model(self, request, obj, form, change):
        weights = {name.removeprefix("w_"): getattr(obj, name) for name in WEIGHT_FIELDS}
        adopt(obj, actions.set_weights(by=request.user, street=obj.street, year=obj.year, weights=weights))


class ResultInline(ReadOnlyInline):
    model = AssessmentResult
    fields = RESULT_FIELDS
    readonly_fields = RESULT_FIELDS
    ordering = ["kind", "rank", "id"]


DRAFT = (Status.DRAFT,)


@admin.register(Assessment)
class AssessmentAdmin(StreetAdminsEdit, ScopedAdmin):
    list_display = ["street", "year", "status", "computed_at", "published_at", "published_by"]
    list_filter = ["status", "year"]
    fields = ["street", "year", "status", *WEIGHT_FIELDS, "computed_by", "computed_at", "published_by", "published_at"]
    workflow_fields = WEIGHT_FIELDS
    inlines = [ResultInline]
    related_exports = (RelatedExport("export_results", _("导出所选年终考核的结果"), RESULTS, results_of),)
    transitions = (
        Transition("compute", _("计算"), actions.compute_assessment, arg="assessment", when=DRAFT, done=_("已计算")),
        Transition("publish", _("发布"), actions.publish_assessment, arg="assessment", when=DRAFT, done=_("已发布")),
    )

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return ["street", "year", *fields] if obj is not None else fields

    def save_model(self, request, obj, form, change):
        if not change:
            adopt(obj, actions.open_assessment(by=request.user, street=obj.street, year=obj.year))


@admin.register(AssessmentResult)
class AssessmentResultAdmin(NeitherAddedNorChanged, ScopedAdmin):
    export = RESULTS
    list_display = ["assessment", *RESULT_FIELDS]
    list_filter = ["assessment__year", "kind", "grade", "assessment__status"]
    search_fields = ["name"]
    list_select_related = ["assessment__street"]

    def has_delete_permission(self, request, obj=None):
        return False


class StarInline(ReadOnlyInline):
    model = GridStar
    fields = STAR_FIELDS
    readonly_fields = STAR_FIELDS


@admin.register(GridStarRating)
class GridStarRatingAdmin(StreetAdminsEdit, ScopedAdmin):
    list_display = ["street", "year", "quarter", "status", "computed_at", "published_at", "published_by"]
    list_filter = ["status", "year", "quarter"]
    fields = ["street", "year", "quarter", "status", "computed_by", "computed_at", "published_by", "published_at"]
    inlines = [StarInline]
    related_exports = (RelatedExport("export_stars", _("导出所选季度评星的星级"), GRID_STARS, stars_of),)
    transitions = (
        Transition("compute", _("计算"), actions.compute_grid_stars, arg="rating", when=DRAFT, done=_("已计算")),
        Transition("publish", _("发布"), actions.publish_grid_stars, arg="rating", when=DRAFT, done=_("已发布")),
    )

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return ["street", "year", "quarter", *fields] if obj is not None else fields

    def save_model(self, request, obj, form, change):
        if not change:
            created = actions.open_grid_stars(by=request.user, street=obj.street, year=obj.year, quarter=obj.quarter)
            adopt(obj, created)


@admin.register(GridStar)
class GridStarAdmin(NeitherAddedNorChanged, ScopedAdmin):
    export = GRID_STARS
    list_display = ["rating", *STAR_FIELDS]
    list_filter = ["rating__year", "rating__quarter", "stars", "rating__status"]
    search_fields = ["name"]
    list_select_related = ["rating__street"]

    def has_delete_permission(self, request, obj=None):
        return False
