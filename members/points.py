"""Party-member points (党员积分): awards, corrections, monthly rankings, indexes, hours targets, stars.

Writes (award_*, correct_points, publish_ranking, warn_behind_hours, compute_star_ratings) follow the
actions rules; reads (monthly_ranking, pioneer_indexes, fortress_indexes, …) run a fixed number of
queries. The rules shown to people live here too (PIONEER_RULE, FORTRESS_RULE, STAR_RULE).
"""

import calendar
import datetime
import statistics
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, F, Q, Sum
from django.utils import timezone

from alliance.core import cache
from alliance.core.errors import Conflict
from alliance.core.scoping import in_scope
from members.models import (
    MemberUnit,
    PartyMember,
    PartyOrganization,
    PointsEntry,
    PointsKind,
    PointsRanking,
    PointsRankingRow,
    PointsRule,
    ServiceHoursTarget,
    StarRating,
    User,
)

# Used when the admin has not (yet) set a rule for a kind; the data migration seeds the same values.
DEFAULT_RULES = {
    PointsKind.ACTIVITY_CHECKIN: 2,
    PointsKind.VOLUNTEER_HOURS: 1,  # per hour
    PointsKind.CLAIM_COMPLETED: 10,
    PointsKind.CLAIM_EVALUATED: 5,
    PointsKind.ORDER_DELIVERED: 3,
    PointsKind.ORDER_RATED: 2,
}
DEFAULT_MIN_RATING = 4
TOP_N = 10
PIONEER_CAP = 200

PIONEER_RULE = (
    "先锋指数 = 党员本年度积分 ÷ 本街道本年度有积分党员的积分中位数 × 100,"
    f"保留一位小数,最高 {PIONEER_CAP};无人得分时为 0。"
)
FORTRESS_RULE = (
    "堡垒指数:原始分 = 本单位党员本年度平均积分 + 10 × 本单位本年度完成的认领项目数;"
    "再以本街道原始分最高的党组织为 100 折算,保留一位小数。"
)
STAR_RULE = (
    "月度星级:得分 = 50 × 平均评分/5 + 30 × 及时接单率(24小时内接单的比例) + 20 × min(活跃次数, 10)/10;"
    "活跃次数 = 当月送达的点单 + 组织的活动 + 完成的认领项目。"
    "得分 ≥90 为五星,≥75 四星,≥60 三星,≥40 二星,≥20 一星,其余不评星。当月无评价或无接单的部分计 0 分。"
)
STAR_THRESHOLDS = ((90, 5), (75, 4), (60, 3), (40, 2), (20, 1))


def rule_for(kind: str) -> tuple[int, int]:
    """(points, min_rating) of a kind: the admin's rule, or the default (one query)."""
    rule = PointsRule.objects.filter(kind=kind).only("points", "min_rating").first()
    if rule is None:
        return DEFAULT_RULES[kind], DEFAULT_MIN_RATING
    return rule.points, rule.min_rating


def _award(*, kind, source, reason: str, on: datetime.date, member=None, unit=None, points=None, hours=0, by=None):
    """One entry per (member|unit, kind, source): a second call for the same source awards nothing.

    Runs inside the caller's transaction; the savepoint lets a duplicate (a retry racing the first
    award) fail alone without aborting the transition around it.
    """
    if points is None:
        points = rule_for(kind)[0]
    node = member.community if member else unit.grid_node
    try:
        with transaction.atomic():
            return PointsEntry.objects.create(
                member=member,
                unit=unit,
                grid_node=node,
                street_id=node.street_id or node.pk,
                kind=kind,
                points=points,
                hours=hours,
                reason=reason[:200],
                source_type=ContentType.objects.get_for_model(type(source)),
                source_id=source.pk,
                occurred_on=on,
                created_by=by,
            )
    except IntegrityError:
        return None


def _day(moment) -> datetime.date:
    return timezone.localdate(moment) if moment else timezone.localdate()


def award_activity_checkin(*, signup, by=None) -> list[PointsEntry]:
    """A checked-in party member earns the check-in points, and volunteer hours for volunteer services."""
    from services.models import Activity

    member = PartyMember.objects.filter(user_id=signup.user_id, is_active=True).select_related("community").first()
    if member is None:  # residents take part without points
        return []
    activity = signup.activity
    on = _day(signup.checked_in_at)
    entries = [
        _award(
            kind=PointsKind.ACTIVITY_CHECKIN,
            source=signup,
            member=member,
            reason=f"参加活动签到:{activity.title}",
            on=on,
            by=by,
        )
    ]
    if activity.kind == Activity.Kind.VOLUNTEER:
        hours = Decimal((activity.ends_at - activity.starts_at).total_seconds() / 3600).quantize(Decimal("0.01"))
        per_hour = rule_for(PointsKind.VOLUNTEER_HOURS)[0]
        points = int((hours * per_hour).to_integral_value(ROUND_HALF_UP))
        entries.append(
            _award(
                kind=PointsKind.VOLUNTEER_HOURS,
                source=signup,
                member=member,
                points=points,
                hours=hours,
                reason=f"志愿服务 {hours} 小时:{activity.title}",
                on=on,
                by=by,
            )
        )
    return [e for e in entries if e]


def award_order_delivered(*, order, by=None) -> PointsEntry | None:
    """The serving unit earns points when the community confirms delivery."""
    if not order.unit_id:
        return None
    unit = MemberUnit.objects.select_related("grid_node").get(pk=order.unit_id)
    return _award(
        kind=PointsKind.ORDER_DELIVERED,
        source=order,
        unit=unit,
        reason=f"点单服务送达:{order.title}",
        on=_day(order.delivered_at),
        by=by,
    )


def award_order_rated(*, order, by=None) -> PointsEntry | None:
    """A good rating (at least the rule's minimum) earns the serving unit extra points."""
    points, min_rating = rule_for(PointsKind.ORDER_RATED)
    if not order.unit_id or (order.rating or 0) < min_rating:
        return None
    unit = MemberUnit.objects.select_related("grid_node").get(pk=order.unit_id)
    return _award(
        kind=PointsKind.ORDER_RATED,
        source=order,
        unit=unit,
        points=points,
        reason=f"点单服务获{order.rating}星好评:{order.title}",
        on=_day(order.rated_at),
        by=by,
    )


def award_claim_completed(*, claim, by=None) -> PointsEntry | None:
    unit = MemberUnit.objects.select_related("grid_node").get(pk=claim.unit_id)
    return _award(
        kind=PointsKind.CLAIM_COMPLETED,
        source=claim,
        unit=unit,
        reason=f"认领项目完成:{claim.project}",
        on=_day(claim.completed_at),
        by=by,
    )


def award_claim_evaluated(*, claim, by=None) -> PointsEntry | None:
    points, min_rating = rule_for(PointsKind.CLAIM_EVALUATED)
    if (claim.rating or 0) < min_rating:
        return None
    unit = MemberUnit.objects.select_related("grid_node").get(pk=claim.unit_id)
    return _award(
        kind=PointsKind.CLAIM_EVALUATED,
        source=claim,
        unit=unit,
        points=points,
        reason=f"认领项目获{claim.rating}分评价:{claim.project}",
        on=_day(claim.evaluated_at),
        by=by,
    )


@transaction.atomic
def correct_points(*, by, entry: PointsEntry, points: int, reason: str) -> PointsEntry:
    """A correction is a new entry (negative allowed) pointing at the one it corrects; nothing is edited."""
    if not (by.is_superuser or by.role in User.ADMIN_ROLES):
        raise PermissionDenied("只有街道或社区管理员可以更正积分。")
    if not in_scope(entry, by):
        raise PermissionDenied("该积分记录不在您的管辖范围内。")
    try:
        points = int(points)
    except (TypeError, ValueError):
        raise ValidationError({"points": "请填写更正的积分(可为负数)。"})
    reason = (reason or "").strip()
    if points == 0:
        raise ValidationError({"points": "更正积分不能为 0。"})
    if not reason:
        raise ValidationError({"reason": "请说明更正原因。"})
    return PointsEntry.objects.create(
        member_id=entry.member_id,
        unit_id=entry.unit_id,
        grid_node_id=entry.grid_node_id,
        street_id=entry.street_id,
        kind=PointsKind.CORRECTION,
        points=points,
        reason=f"更正:{reason}"[:200],
        source_type=ContentType.objects.get_for_model(PointsEntry),
        source_id=entry.pk,
        corrects=entry,
        occurred_on=timezone.localdate(),
        created_by=by,
    )


# --- rankings ------------------------------------------------------------------------------------


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])


def competition_ranks(totals: list[tuple]) -> list[tuple[int, tuple]]:
    """(rank, row) for rows sorted by points descending; equal points share a rank (1, 2, 2, 4)."""
    ranked, rank, previous = [], 0, None
    for position, row in enumerate(totals, start=1):
        if row[1] != previous:
            rank, previous = position, row[1]
        ranked.append((rank, row))
    return ranked


def live_ranking(*, street_id: int, year: int, month: int, limit: int | None = None) -> list[dict]:
    """Members of a street by their points in the month (one query): rank, member, name, unit, points."""
    start, end = month_bounds(year, month)
    return period_ranking(street_id=street_id, start=start, end=end, limit=limit)


def period_ranking(*, street_id: int, start, end, limit: int | None = None, node=None) -> list[dict]:
    """Members of a street by their points between two dates, inclusive (one query).

    With ``node`` (a viewer's subtree), only the members whose community lies in it: a community's
    dashboard ranks its own members and names nobody from elsewhere."""
    entries = PointsEntry.objects.filter(street_id=street_id, member__isnull=False, occurred_on__range=(start, end))
    if node is not None:
        entries = entries.filter(member__community__path__startswith=node.path)
    rows = (
        entries.values("member_id", "member__name", "member__unit__name", "member__community__name")
        .annotate(total=Sum("points"))
        .filter(total__gt=0)
        .order_by("-total", "member_id")
    )
    totals = [
        (r["member_id"], r["total"], r["member__name"], r["member__unit__name"] or "", r["member__community__name"])
        for r in rows
    ]
    ranked = [
        {"rank": rank, "member_id": mid, "name": name, "unit_name": unit, "community_name": comm, "points": pts}
        for rank, (mid, pts, name, unit, comm) in competition_ranks(totals)
    ]
    return [r for r in ranked if r["rank"] <= limit] if limit else ranked


@transaction.atomic
def publish_ranking(*, by, street, year: int, month: int) -> PointsRanking:
    """Freeze a street's ranking of a month: its rows are stored and never change afterwards."""
    if by is not None and not (by.is_superuser or (by.role == User.Role.STREET_ADMIN and in_scope(street, by))):
        raise PermissionDenied("只有本街道管理员可以发布积分排行。")
    if not 1 <= int(month) <= 12:
        raise ValidationError({"month": "月份须在 1–12 之间。"})
    ranking, _ = PointsRanking.objects.get_or_create(street=street, year=year, month=month)
    ranking = PointsRanking.objects.select_for_update().get(pk=ranking.pk)
    if ranking.status == PointsRanking.Status.PUBLISHED:
        raise Conflict("该月积分排行已发布,不能更改;如需更正请新增积分更正记录。")
    rows = live_ranking(street_id=street.pk, year=year, month=month)
    PointsRankingRow.objects.filter(ranking=ranking).delete()
    PointsRankingRow.objects.bulk_create(
        PointsRankingRow(
            ranking=ranking,
            rank=r["rank"],
            member_id=r["member_id"],
            name=r["name"],
            unit_name=r["unit_name"],
            community_name=r["community_name"],
            points=r["points"],
        )
        for r in rows
    )
    ranking.status, ranking.published_at, ranking.published_by = PointsRanking.Status.PUBLISHED, timezone.now(), by
    ranking.save(update_fields=["status", "published_at", "published_by"])
    return ranking


def previous_month(today: datetime.date) -> tuple[int, int]:
    first = today.replace(day=1) - datetime.timedelta(days=1)
    return first.year, first.month


def publish_last_month(*, today=None) -> int:
    """The monthly job: publish every street's ranking of last month that is not yet published."""
    from grids.models import GridNode

    today = today or timezone.localdate()
    year, month = previous_month(today)
    done = 0
    published = set(
        PointsRanking.objects.filter(year=year, month=month, status=PointsRanking.Status.PUBLISHED).values_list(
            "street_id", flat=True
        )
    )
    for street in GridNode.objects.streets().exclude(pk__in=published):
        try:
            publish_ranking(by=None, street=street, year=year, month=month)
            done += 1
        except Conflict:  # published meanwhile by a street admin or a rerun
            pass
    return done


def top10(*, street_ids, year: int, month: int) -> dict[int, dict]:
    """Per street: the frozen TOP10 if the month is published, else the live one. Two queries + one per
    unpublished street (streets are few: a district has a handful)."""
    rankings = {
        r.street_id: r
        for r in PointsRanking.objects.filter(
            street_id__in=street_ids, year=year, month=month, status=PointsRanking.Status.PUBLISHED
        )
    }
    frozen_rows: dict[int, list] = {}
    for row in PointsRankingRow.objects.filter(
        ranking__street_id__in=street_ids,
        ranking__year=year,
        ranking__month=month,
        ranking__status=PointsRanking.Status.PUBLISHED,
        rank__lte=TOP_N,
    ).select_related("ranking"):
        frozen_rows.setdefault(row.ranking.street_id, []).append(
            {"rank": row.rank, "member_id": row.member_id, "name": row.name, "unit_name": row.unit_name,
             "community_name": row.community_name, "points": row.points}
        )  # fmt: skip
    result = {}
    for sid in street_ids:
        if sid in rankings:
            result[sid] = {"published": True, "ranking": rankings[sid], "rows": frozen_rows.get(sid, [])}
        else:
            result[sid] = {
                "published": False,
                "ranking": None,
                "rows": live_ranking(street_id=sid, year=year, month=month, limit=TOP_N),
            }
    return result


def member_history(member: PartyMember):
    """A member's entries, newest first, with the entry each correction corrects (one query)."""
    return PointsEntry.objects.filter(member=member).select_related("corrects").order_by("-occurred_on", "-id")


# --- indexes --------------------------------------------------------------------------------------


def _round1(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def pioneer_indexes(*, street_id: int, year: int) -> dict[int, Decimal]:
    """先锋指数 of every member with points in the street this year (one query); see PIONEER_RULE."""
    totals = dict(
        PointsEntry.objects.filter(street_id=street_id, member__isnull=False, occurred_on__year=year)
        .values_list("member_id")
        .annotate(total=Sum("points"))
        .order_by()
    )
    positive = [t for t in totals.values() if t > 0]
    if not positive:
        return dict.fromkeys(totals, Decimal("0.0"))
    median = Decimal(str(statistics.median(positive)))
    return {mid: min(_round1(Decimal(max(t, 0)) / median * 100), Decimal(PIONEER_CAP)) for mid, t in totals.items()}


def fortress_indexes(*, street_id: int, year: int) -> dict[int, dict]:
    """堡垒指数 of every party organisation of the street's units (four queries); see FORTRESS_RULE."""
    orgs = list(
        PartyOrganization.objects.filter(unit__grid_node__street_id=street_id)
        .select_related("unit")
        .order_by("name", "id")
    )
    unit_ids = [o.unit_id for o in orgs]
    members = dict(
        PartyMember.objects.filter(unit_id__in=unit_ids, is_active=True)
        .values_list("unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    member_points = dict(
        PointsEntry.objects.filter(member__unit_id__in=unit_ids, member__is_active=True, occurred_on__year=year)
        .values_list("member__unit_id")
        .annotate(s=Sum("points"))
        .order_by()
    )
    claims = dict(
        PointsEntry.objects.filter(unit_id__in=unit_ids, kind=PointsKind.CLAIM_COMPLETED, occurred_on__year=year)
        .values_list("unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    raw = {}
    for org in orgs:
        count = members.get(org.unit_id, 0)
        average = Decimal(member_points.get(org.unit_id, 0)) / count if count else Decimal(0)
        raw[org.pk] = average + 10 * claims.get(org.unit_id, 0)
    top = max(raw.values(), default=Decimal(0))
    return {
        org.pk: {
            "organization": org,
            "raw": _round1(raw[org.pk]),
            "index": _round1(raw[org.pk] / top * 100) if top > 0 else Decimal("0.0"),
            "completed_claims": claims.get(org.unit_id, 0),
            "members": members.get(org.unit_id, 0),
        }
        for org in orgs
    }


# --- service-hours targets (双报到) ----------------------------------------------------------------


def elapsed_fraction(today: datetime.date) -> Decimal:
    """The share of the year gone by at the end of ``today``."""
    days = 366 if calendar.isleap(today.year) else 365
    return Decimal(today.timetuple().tm_yday) / Decimal(days)


def members_behind(*, target: ServiceHoursTarget, today: datetime.date) -> list[tuple[PartyMember, Decimal, Decimal]]:
    """Dual-reported active members of the street below the pace: (member, hours so far, hours due)."""
    due = (target.hours * elapsed_fraction(today)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    members = (
        PartyMember.objects.filter(community__street_id=target.street_id, is_active=True, reported_on__isnull=False)
        .annotate(
            hours_so_far=Sum(
                "points__hours",
                filter=Q(points__occurred_on__year=target.year, points__occurred_on__lte=today),
                default=Decimal(0),
            )
        )
        .filter(hours_so_far__lt=due)
        .select_related("user", "unit")
        .order_by("id")
    )
    return [(m, m.hours_so_far, due) for m in members]


def warn_behind_hours(*, today=None) -> int:
    """The monthly job: warn members behind the pace and their unit's operators, once per member per month."""
    from alliance.core.notifications import notify

    today = today or timezone.localdate()
    sent = 0
    for target in ServiceHoursTarget.objects.filter(year=today.year):
        behind = members_behind(target=target, today=today)
        unit_ids = {m.unit_id for m, _, _ in behind if m.unit_id}
        operators: dict[int, list] = {}
        for op in User.objects.filter(role=User.Role.UNIT_OPERATOR, unit_id__in=unit_ids, is_active=True):
            operators.setdefault(op.unit_id, []).append(op)
        for member, hours, due in behind:
            key = f"hours-behind:{member.pk}:{today:%Y-%m}"
            body = (
                f"{member.name}同志本年度志愿服务 {hours} 小时,按进度应达 {due} 小时"
                f"(年度目标 {target.hours} 小时)。请积极参加社区志愿服务。"
            )
            with transaction.atomic():
                if member.user_id and notify(
                    recipient=member.user,
                    key=key,
                    title="志愿服务时长落后于进度",
                    body=body,
                    url="/alliance/points/me/",
                ):
                    sent += 1
                for op in operators.get(member.unit_id, []):
                    if notify(recipient=op, key=key, title=f"本单位党员{member.name}服务时长落后于进度", body=body):
                        sent += 1
    return sent


# --- monthly star ratings --------------------------------------------------------------------------


def stars_for(score: Decimal) -> int:
    for threshold, stars in STAR_THRESHOLDS:
        if score >= threshold:
            return stars
    return 0


def star_score(*, rating_avg, timely_share, activity_count: int) -> Decimal:
    rating_part = Decimal(50) * Decimal(rating_avg or 0) / 5
    timely_part = Decimal(30) * Decimal(timely_share or 0)
    activity_part = Decimal(20) * Decimal(min(activity_count, 10)) / 10
    return _round1(rating_part + timely_part + activity_part)


def _order_figures(group: str, start, end):
    """Per provider (``group`` lookup): ratings, timeliness and deliveries in the month (three queries)."""
    from services.models import Order

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
    from simple_history.utils import bulk_create_with_history, bulk_update_with_history

    now = timezone.now()
    existing = {
        getattr(r, f"{field}_id"): r
        for r in StarRating.objects.filter(**{f"{field}__isnull": False}, year=year, month=month)
    }
    create, update = [], []
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
    cache.changed("units", "menu")  # units' and stations' stars, written by queryset updates (no signal)


@transaction.atomic
def compute_star_ratings(*, year: int, month: int) -> int:
    """The monthly job: rate every active unit and station for the month (rerun-safe: one row per month)."""
    from services.models import Activity, ServiceStation

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
    s_ratings, s_timely, s_delivered, _ = _order_figures("menu_item__provider_station_id", start, end)
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
