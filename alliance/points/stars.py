"""Monthly star ratings (月度星级) of member units and service stations; the rule shown lives here."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Avg, Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from alliance.core import cache
from alliance.points.indexes import round1
from alliance.points.models import PointsEntry, PointsKind, StarRating
from alliance.points.rankings import month_bounds
from members.models import MemberUnit
from services.models import Activity, Order, ServiceStation

STAR_RULE = _(
    "月度星级：得分 = 50 × 平均评分/5 + 30 × 及时接单率（24小时内接单的比例） + 20 × 活跃次数（最多计 10 次）/10；"
    "活跃次数 = 当月送达的点单 + 组织的活动 + 完成的认领项目。"
    "得分 ≥90 为五星，≥75 四星，≥60 三星，≥40 二星，≥20 一星，其余不评星。当月无评价或无接单的部分计 0 分。"
)
STAR_THRESHOLDS = ((90, 5), (75, 4), (60, 3), (40, 2), (20, 1))


def stars_for(score: Decimal) -> int:
    for threshold, stars in STAR_THRESHOLDS:
        if score >= threshold:
            return stars
    return 0


def star_score(*, rating_avg, timely_share, activity_count: int) -> Decimal:
    rating_part = Decimal(50) * Decimal(rating_avg or 0) / 5
    timely_part = Decimal(30) * Decimal(timely_share or 0)
    activity_part = Decimal(20) * Decimal(min(activity_count, 10)) / 10
    return round1(rating_part + timely_part + activity_part)


def _order_figures(group: str, start, end):
    """Per provider (``group`` lookup): ratings, timeliness and deliveries in the month (three queries)."""
    tz_start = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    tz_end = timezone.make_aware(datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min))
    window = {"__gte": tz_start, "__lt": tz_end}
    base = Order.objects.filter(**{f"{group}__isnull": False})
    ratings = {
        r[group]: r
        for r in base.filter(**{f"rated_at{k}": v for k, v in window.items()}, rating__isnull=False)
        .values(group)
        .annotate(avg=Avg("rating"), n=Count("id"))
        .order_by()
    }
    timely = {
        r[group]: r
        for r in base.filter(**{f"accepted_at{k}": v for k, v in window.items()})
        .values(group)
        .annotate(
            n=Count("id"),
            timely=Count("id", filter=Q(accepted_at__lte=F("submitted_at") + datetime.timedelta(hours=24))),
        )
        .order_by()
    }
    delivered = dict(
        base.filter(**{f"delivered_at{k}": v for k, v in window.items()})
        .values_list(group)
        .annotate(n=Count("id"))
        .order_by()
    )
    return ratings, timely, delivered, (tz_start, tz_end)


def _star_row(rating, timely, activity_count) -> dict:
    rating_avg = Decimal(str(rating["avg"])).quantize(Decimal("0.01")) if rating else None
    timely_share = (Decimal(timely["timely"]) / timely["n"]).quantize(Decimal("0.001")) if timely else None
    score = star_score(rating_avg=rating_avg, timely_share=timely_share, activity_count=activity_count)
    return {
        "rating_avg": rating_avg,
        "ratings": rating["n"] if rating else 0,
        "timely_share": timely_share,
        "activity_count": activity_count,
        "score": score,
        "stars": stars_for(score),
    }


# Rows per bulk write of the monthly ratings: 100,000 units at city scale in 100 round trips.
STAR_BATCH = 1000
STAR_FIELDS = [
    "rating_avg",
    "ratings",
    "timely_share",
    "activity_count",
    "score",
    "stars",
    "grid_node_id",
    "computed_at",
]


def _save_star_rows(field: str, rows: dict[int, dict], model, year: int, month: int) -> None:
    """Create or update the month's ratings of ``field`` (unit/station) in bulk, with history, and
    set the rated objects' current stars (one UPDATE per star value and batch)."""
    now = timezone.now()
    existing = {
        getattr(r, f"{field}_id"): r
        for r in StarRating.objects.filter(**{f"{field}__isnull": False}, year=year, month=month)
    }
    create: list = []
    update: list = []
    for pk, row in rows.items():
        rating = existing.get(pk) or StarRating(**{f"{field}_id": pk}, year=year, month=month)
        for key, value in row.items():
            setattr(rating, key, value)
        rating.computed_at = now
        (update if rating.pk else create).append(rating)
    bulk_create_with_history(create, StarRating, batch_size=STAR_BATCH)
    if update:
        bulk_update_with_history(update, StarRating, fields=STAR_FIELDS, batch_size=STAR_BATCH)
    by_stars: dict[int, list[int]] = {}
    for pk, row in rows.items():
        by_stars.setdefault(row["stars"], []).append(pk)
    for stars, pks in by_stars.items():
        for i in range(0, len(pks), STAR_BATCH * 5):
            model.objects.filter(pk__in=pks[i : i + STAR_BATCH * 5]).exclude(star_rating=stars).update(
                star_rating=stars
            )
    cache.changed("units", "menu", "wall")  # units' and stations' stars, written by queryset updates (no signal)


@transaction.atomic
def compute_star_ratings(*, year: int, month: int) -> int:
    """The monthly job: rate every active unit and station for the month (rerun-safe: one row per month)."""
    start, end = month_bounds(year, month)
    ratings, timely, delivered, (tz_start, tz_end) = _order_figures("unit_id", start, end)
    activities = dict(
        Activity.objects.filter(organiser_unit__isnull=False, starts_at__gte=tz_start, starts_at__lt=tz_end)
        .exclude(status=Activity.Status.CANCELLED)
        .values_list("organiser_unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    claims = dict(
        PointsEntry.objects.filter(unit__isnull=False, kind=PointsKind.CLAIM_COMPLETED, occurred_on__range=(start, end))
        .values_list("unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    unit_rows = {
        pk: {
            **_star_row(
                ratings.get(pk), timely.get(pk), delivered.get(pk, 0) + activities.get(pk, 0) + claims.get(pk, 0)
            ),
            "grid_node_id": node_id,
        }
        for pk, node_id in MemberUnit.objects.filter(status=MemberUnit.Status.ACTIVE).values_list("id", "grid_node_id")
    }
    _save_star_rows("unit", unit_rows, MemberUnit, year, month)
    s_ratings, s_timely, s_delivered, _other = _order_figures("menu_item__provider_station_id", start, end)
    station_activities = dict(
        Activity.objects.filter(starts_at__gte=tz_start, starts_at__lt=tz_end)
        .exclude(status=Activity.Status.CANCELLED)
        .values_list("grid_node_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    station_rows = {
        pk: {
            **_star_row(
                s_ratings.get(pk), s_timely.get(pk), s_delivered.get(pk, 0) + station_activities.get(node_id, 0)
            ),
            "grid_node_id": node_id,
        }
        for pk, node_id in ServiceStation.objects.filter(is_active=True).values_list("id", "grid_node_id")
    }
    _save_star_rows("station", station_rows, ServiceStation, year, month)
    return len(unit_rows) + len(station_rows)
