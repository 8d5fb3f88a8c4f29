"""The Excel exports of points (alliance.core.exports): the ledger, the monthly rankings' rows, star ratings."""

from django.utils.translation import gettext_lazy as _

from alliance.core.exports import Export, label, text, when
from alliance.points.models import PointsRankingRow

ENTRIES = Export(
    sheet=_("积分明细"),
    slug="points",
    columns=[
        when(_("日期"), "occurred_on"),
        text(_("党员"), "member.name"),
        text(_("单位"), "unit.name"),
        label(_("积分类型"), "kind"),
        text(_("积分"), "points"),
        text(_("服务时长（小时）"), "hours"),
        text(_("事由"), "reason_text"),
        text(_("更正的记录"), "corrects_id"),
        when(_("记录时间"), "created_at"),
    ],
    select_related=["member", "unit"],
)

RANKING_ROWS = Export(
    sheet=_("月度积分排行"),
    slug="rankings",
    columns=[
        text(_("街道"), "ranking.street.name"),
        text(_("年"), "ranking.year"),
        text(_("月"), "ranking.month"),
        label(_("排行状态"), "ranking.status"),
        text(_("名次"), "rank"),
        text(_("姓名"), "name"),
        text(_("单位"), "unit_name"),
        text(_("社区"), "community_name"),
        text(_("积分"), "points"),
    ],
    select_related=["ranking__street"],
)

STAR_RATINGS = Export(
    sheet=_("星级评定"),
    slug="stars",
    columns=[
        text(_("年"), "year"),
        text(_("月"), "month"),
        text(_("单位"), "unit.name"),
        text(_("服务站"), "station.name"),
        text(_("星级"), "stars"),
        text(_("得分"), "score"),
        text(_("平均评分"), "rating_avg"),
        text(_("评价数"), "ratings"),
        text(_("及时接单率"), "timely_share"),
        text(_("活跃次数"), "activity_count"),
        when(_("评定时间"), "computed_at"),
    ],
    select_related=["unit", "station"],
)


def rows_of(rankings):
    """The rows of the selected monthly rankings (already in the viewer's subtree), month by month."""
    return PointsRankingRow.objects.filter(ranking__in=rankings).order_by(
        "-ranking__year", "-ranking__month", "ranking_id", "rank"
    )
