"""How figures become scores, grades and stars: the rules shown on the pages live here (no query)."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from alliance.assessment.figures import Tally, average
from alliance.assessment.models import Grade

HUNDRED = Decimal(100)

# Year-end assessment: each indicator scores 0–100; the total is the weighted mean of the applicable ones.
CLAIMS_CAP = 5  # completed claims counted at most
ORDERS_CAP = 10  # delivered services counted at most
GRADE_THRESHOLDS = ((Decimal(90), Grade.EXCELLENT), (Decimal(75), Grade.GOOD), (Decimal(60), Grade.PASS))

ASSESSMENT_RULE = _(
    "各项指标按百分制计分：认领项目 = 完成认领数（最多计5个）× 12 + 平均评价 ÷ 5 × 40；"
    "服务送达 = 送达服务数（最多计10单）× 6 + 平均评分 ÷ 5 × 40；会议出勤 = 实到人次 ÷ 应到人次 × 100；"
    "按时办结 = 按时办结数 ÷ 反映事项数 × 100（超时被自动上报的事项不算按时）；群众满意度 = 平均评分 ÷ 5 × 100（单位和服务站点的满意度测评打分一并平均，按五分制折算）。"
    "没有可计的记录（如没有受邀的会议、辖区没有反映事项）时该项不适用，综合得分按其余各项的权重折算为百分制。"
    "综合得分 ≥90 为优秀，≥75 良好，≥60 合格，其余不合格；同类对象按综合得分排名。"
)

# Quarterly micro-grid stars.
ACTIVITIES_CAP = 6
GRID_ORDERS_CAP = 15
NEUTRAL_RATING = Decimal(3)
STAR_THRESHOLDS = ((Decimal(90), 5), (Decimal(75), 4), (Decimal(60), 3), (Decimal(40), 2))

GRID_STAR_RULE = _(
    "微网格季度星级：得分 = 按时办结率 × 40 + 平均满意度 ÷ 5 × 30 + 组织活动数（最多计6次）÷ 6 × 15 + "
    "送达服务数（最多计15单）÷ 15 × 15。本季度没有反映事项的，按时办结率按100%计；没有居民评价的，满意度按3分计。"
    "得分 ≥90 评五星，≥75 四星，≥60 三星，≥40 二星，其余一星。"
)


def one_decimal(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def share(part, whole) -> Decimal | None:
    return Decimal(part) / Decimal(whole) if whole else None


def grade_for(total: Decimal) -> str:
    for threshold, grade in GRADE_THRESHOLDS:
        if total >= threshold:
            return grade
    return Grade.FAIL


def stars_for(score: Decimal) -> int:
    for threshold, stars in STAR_THRESHOLDS:
        if score >= threshold:
            return stars
    return 1


def _quantity_and_quality(count: int, cap: int, per_item: int, rating: Decimal | None) -> Decimal:
    return one_decimal(Decimal(min(count, cap) * per_item) + (rating or Decimal(0)) / 5 * 40)


def indicator_row(t: Tally, *, issues_apply: bool, satisfaction_from: tuple[str, ...]) -> dict:
    """The figures and the five scores of one subject (None: not applicable)."""
    claims_rating = average(t["claims_rating_sum"], t["claims_rated"])
    orders_rating = average(t["orders_rating_sum"], t["orders_rated"])
    rated = sum(t[f"{source}_rated"] for source in satisfaction_from)
    rating_sum = sum(t[f"{source}_rating_sum"] for source in satisfaction_from)
    satisfaction = average(rating_sum, rated)
    attended = share(t["attended"], t["invited"])
    in_time = share(t["issues_in_time"], t["issues_reported"]) if issues_apply else None
    return {
        "claims_done": t["claims_done"],
        "claims_rating": claims_rating,
        "claims_score": _quantity_and_quality(t["claims_done"], CLAIMS_CAP, 12, claims_rating),
        "orders_delivered": t["orders_delivered"],
        "orders_rating": orders_rating,
        "services_score": _quantity_and_quality(t["orders_delivered"], ORDERS_CAP, 6, orders_rating),
        "meetings_invited": t["invited"],
        "meetings_attended": t["attended"],
        "meetings_score": one_decimal(attended * HUNDRED) if attended is not None else None,
        "issues_reported": t["issues_reported"] if issues_apply else 0,
        "issues_in_time": t["issues_in_time"] if issues_apply else 0,
        "issues_score": one_decimal(in_time * HUNDRED) if in_time is not None else None,
        "satisfaction_avg": satisfaction,
        "satisfaction_count": rated,
        "satisfaction_score": one_decimal(satisfaction / 5 * HUNDRED) if satisfaction is not None else None,
    }


SCORE_FIELDS = {
    "claims": "claims_score",
    "services": "services_score",
    "meetings": "meetings_score",
    "issues": "issues_score",
    "satisfaction": "satisfaction_score",
}


def weighted_total(row: dict, weights: dict[str, int]) -> Decimal:
    """The weighted mean of the applicable scores (the weights of those that apply, scaled to 100)."""
    used = {key: w for key, w in weights.items() if row[SCORE_FIELDS[key]] is not None}
    total_weight = sum(used.values())
    if not total_weight:
        return Decimal("0.0")
    return one_decimal(sum(row[SCORE_FIELDS[key]] * w for key, w in used.items()) / Decimal(total_weight))


def ranks(values: list[Decimal]) -> list[int]:
    """Competition ranks of ``values`` (highest first; equal values share a rank: 1, 1, 3)."""
    order = sorted(values, reverse=True)
    return [order.index(v) + 1 for v in values]


def grid_star_row(t: Tally) -> dict:
    """The quarter's figures, score and stars of one micro-grid."""
    rated = t["issues_rated"] + t["orders_rated"]
    rating_avg = average(t["issues_rating_sum"] + t["orders_rating_sum"], rated)
    in_time = share(t["issues_in_time"], t["issues_reported"])
    score = one_decimal(
        (Decimal(1) if in_time is None else in_time) * 40
        + (NEUTRAL_RATING if rating_avg is None else rating_avg) / 5 * 30
        + Decimal(min(t["activities"], ACTIVITIES_CAP)) / ACTIVITIES_CAP * 15
        + Decimal(min(t["orders_delivered"], GRID_ORDERS_CAP)) / GRID_ORDERS_CAP * 15
    )
    return {
        "issues_reported": t["issues_reported"],
        "issues_in_time": t["issues_in_time"],
        "rating_avg": rating_avg,
        "ratings": rated,
        "activities": t["activities"],
        "orders_delivered": t["orders_delivered"],
        "score": score,
        "stars": stars_for(score),
    }
