"""The Excel exports of the assessment (alliance.core.exports): year-end results and quarterly micro-grid stars."""

from django.utils.translation import gettext_lazy as _

from alliance.assessment.models import AssessmentResult, GridStar
from alliance.core.exports import Column, Export, label, text


def _score(value):
    return "—" if value is None else value


def score(header, path):
    return Column(header, lambda row: _score(getattr(row, path)))


RESULTS = Export(
    sheet=_("年终考核结果"),
    slug="assessment-results",
    columns=[
        text(_("街道"), "assessment.street.name"),
        text(_("年度"), "assessment.year"),
        label(_("考核状态"), "assessment.status"),
        label(_("考核对象类型"), "kind"),
        text(_("名次"), "rank"),
        text(_("名称"), "name"),
        label(_("等次"), "grade"),
        text(_("综合得分"), "total"),
        text(_("完成认领数"), "claims_done"),
        text(_("认领平均评价"), "claims_rating"),
        score(_("认领项目得分"), "claims_score"),
        text(_("送达服务数"), "orders_delivered"),
        text(_("服务平均评分"), "orders_rating"),
        score(_("服务送达得分"), "services_score"),
        text(_("应出席会议人次"), "meetings_invited"),
        text(_("实到会议人次"), "meetings_attended"),
        score(_("会议出勤得分"), "meetings_score"),
        text(_("反映事项数"), "issues_reported"),
        text(_("按时办结数"), "issues_in_time"),
        score(_("按时办结得分"), "issues_score"),
        text(_("平均满意度"), "satisfaction_avg"),
        text(_("评价数"), "satisfaction_count"),
        score(_("满意度得分"), "satisfaction_score"),
    ],
    select_related=["assessment__street"],
)

GRID_STARS = Export(
    sheet=_("微网格季度星级"),
    slug="grid-stars",
    columns=[
        text(_("街道"), "rating.street.name"),
        text(_("年度"), "rating.year"),
        text(_("季度"), "rating.quarter"),
        label(_("评星状态"), "rating.status"),
        text(_("名次"), "rank"),
        text(_("微网格"), "name"),
        text(_("星级"), "stars"),
        text(_("得分"), "score"),
        text(_("反映事项数"), "issues_reported"),
        text(_("按时办结数"), "issues_in_time"),
        text(_("平均满意度"), "rating_avg"),
        text(_("评价数"), "ratings"),
        text(_("组织活动数"), "activities"),
        text(_("送达服务数"), "orders_delivered"),
    ],
    select_related=["rating__street"],
)


def results_of(assessments):
    """The rows of the selected assessments (already in the viewer's subtree)."""
    return AssessmentResult.objects.filter(assessment__in=assessments).order_by(
        "-assessment__year", "assessment_id", "kind", "rank", "id"
    )


def stars_of(ratings):
    return GridStar.objects.filter(rating__in=ratings).order_by(
        "-rating__year", "-rating__quarter", "rating_id", "rank"
    )
