"""Figures of the whole district: every street side by side, rankings of streets, monthly trends, totals.

Every function runs a fixed number of queries whatever the number of streets or rows: each figure is one
query grouped by street (``GridNode.street_id``; a street's own ``street_id`` is itself), and the times are
medians and averages computed by PostgreSQL (``percentile_cont``), never rows loaded into Python.
``start``/``end`` (dates, inclusive) limit the flow figures (meetings, matters, claims, orders, issues,
ratings, points) to a period; the lists (resources, needs, projects) are the current ones.
"""

import datetime
from decimal import Decimal

from django.db import connections, router
from django.db.models import Aggregate, Avg, Count, DurationField, ExpressionWrapper, F, FloatField, Func, Min, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from alliance.committee.models import Committee, Matter, Meeting
from alliance.core.cache import get_or_build
from alliance.points.models import PointsEntry
from alliance.site.stats import COVERED_NEED_STATUSES, _window
from grids.models import District, GridNode
from projects.models import Claim, Need, Project, Resource
from services.models import Issue, Order

# The cache groups (alliance.core.cache) whose rows the district figures count.
CACHE_GROUPS = ("grid", "committee", "lists", "cases", "wall")
ORDER_DONE = ("delivered", "rated")
ISSUE_ACCEPTED = ("consulting", "handling", "feedback", "evaluated")
ISSUE_DONE = ("feedback", "evaluated")


class Median(Aggregate):
    """The median of a numeric expression (PostgreSQL's ``percentile_cont``)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()
    allow_distinct = False


class Hours(Func):
    """Hours between two moments (NULL when either is missing)."""

    template = "EXTRACT(EPOCH FROM (%(expressions)s)) / 3600.0"
    output_field = FloatField()


def _hours(begin, finish) -> Hours:
    return Hours(ExpressionWrapper(F(finish) - F(begin), output_field=DurationField()))


def _timing(prefix: str, begin: str, finish: str) -> dict:
    """Median and average hours from ``begin`` to ``finish`` (pairs that are both set and in order)."""
    ok = Q(**{f"{begin}__isnull": False, f"{finish}__isnull": False, f"{finish}__gte": F(begin)})
    return {
        f"{prefix}_median": Median(_hours(begin, finish), filter=ok),
        f"{prefix}_avg": Avg(_hours(begin, finish), filter=ok),
    }


def _issue_figures(start, end) -> tuple[dict[int, dict], dict]:
    """Issues of the period per street and for the district in one query: counts, ratings, and the median and
    average hours from the report to the first step taken up (会商 or later) and to the first answer (反馈).

    Each issue's first moments come from one pass over its events (an inner query grouped by issue), then the
    outer query groups by street with a grand total (GROUPING SETS): no correlated subquery per issue."""
    inner = (
        Issue.objects.filter(_window("reported_at", start, end))
        .values("id", "reported_at", "status", "rating", sid=F("grid_node__street_id"))
        .annotate(
            acc=Min("events__at", filter=Q(events__status__in=ISSUE_ACCEPTED)),
            fin=Min("events__at", filter=Q(events__status__in=ISSUE_DONE)),
        )
        .order_by()
    )
    inner_sql, params = inner.query.sql_with_params()
    done = ", ".join(["%s"] * len(ISSUE_DONE))
    sql = f"""
        SELECT sid, GROUPING(sid) AS whole, COUNT(*), COUNT(*) FILTER (WHERE status IN ({done})),
               COUNT(rating), AVG(rating), COUNT(*) FILTER (WHERE rating >= 4),
               PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY h_acc) FILTER (WHERE h_acc >= 0),
               AVG(h_acc) FILTER (WHERE h_acc >= 0),
               PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY h_fin) FILTER (WHERE h_fin >= 0),
               AVG(h_fin) FILTER (WHERE h_fin >= 0)
        FROM (SELECT x.*, EXTRACT(EPOCH FROM (x.acc - x.reported_at)) / 3600.0 AS h_acc,
                     EXTRACT(EPOCH FROM (x.fin - x.reported_at)) / 3600.0 AS h_fin
              FROM ({inner_sql}) x) y
        GROUP BY GROUPING SETS ((sid), ())
    """  # noqa: S608 - the inner SQL is the ORM's; every value goes in as a parameter
    keys = ISSUE_KEYS
    found, total = {}, dict.fromkeys(keys)
    # Raw SQL picks its connection as the ORM would: on the replica inside alliance.core.replica's blocks.
    with connections[router.db_for_read(Issue)].cursor() as cursor:
        cursor.execute(sql, [*ISSUE_DONE, *params])
        for sid, whole, *values in cursor.fetchall():
            row = {k: (float(v) if isinstance(v, Decimal) else v) for k, v in zip(keys, values, strict=True)}
            if whole:
                total = row
            else:
                found[sid] = row
    if total["issues"] is None:
        total.update(issues=0, issues_done=0, issues_rated=0, satisfied=0)
    return found, total


ISSUE_COUNTS = ("issues", "issues_done", "issues_rated", "satisfied")
ISSUE_KEYS = (
    "issues",
    "issues_done",
    "issues_rated",
    "satisfaction",
    "satisfied",
    "issue_accept_median",
    "issue_accept_avg",
    "issue_finish_median",
    "issue_finish_avg",
)


# (key, label, better): the measures a street can be ranked by; "low" means fewer hours rank first.
MEASURES = {
    "meetings_held": (_("召开会议"), "high"),
    "matters_resolved": (_("议决事项"), "high"),
    "resources": (_("资源"), "high"),
    "needs": (_("需求"), "high"),
    "projects": (_("项目"), "high"),
    "claims": (_("认领"), "high"),
    "orders": (_("点单"), "high"),
    "issues": (_("居民说事"), "high"),
    "order_accept_median": (_("点单接单中位用时（小时）"), "low"),
    "order_finish_median": (_("点单办结中位用时（小时）"), "low"),
    "issue_accept_median": (_("说事受理中位用时（小时）"), "low"),
    "issue_finish_median": (_("说事办结中位用时（小时）"), "low"),
    "satisfaction": (_("说事满意度"), "high"),
    "points": (_("党员积分"), "high"),
}
# The measures that have a monthly trend (their sources: _trend_source).
TRENDS = {
    "meetings_held": _("召开会议"),
    "matters_resolved": _("议决事项"),
    "claims": _("认领"),
    "orders": _("点单"),
    "issues": _("居民说事"),
    "satisfaction": _("说事满意度"),
    "points": _("党员积分"),
}
DEFAULT_RANK = "meetings_held"
DEFAULT_TREND = "meetings_held"


def period(start, end, year, today) -> tuple[datetime.date, datetime.date, int | None]:
    """(start, end, year) of the district figures from a query's start/end (dates, inclusive) or year (this
    year by default, up to today); year is None for a chosen span, which is capped at ten years."""
    if start or end:
        end = end or today
        start = start or datetime.date(end.year, 1, 1)
        if end < start:
            start, end = end, start
        return max(start, datetime.date(end.year - 10, 1, 1)), end, None
    year = year or today.year
    if not 2000 <= year <= today.year + 1:
        year = today.year
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return first, min(last, today) if year == today.year else last, year


def cached_figures(*, start, end, rank_by: str, trend: str) -> dict:
    """district_figures(), the same for every visitor: kept per period, measures and language until a row
    it counts changes (alliance.core.cache)."""
    return get_or_build(
        f"district_figures:{get_language()}:{start}:{end}:{rank_by}:{trend}",
        CACHE_GROUPS,
        lambda: district_figures(start=start, end=end, rank_by=rank_by, trend=trend),
    )


def _round(value, digits=1):
    return round(value, digits) if value is not None else None


def _grouped(queryset, street_path: str, **aggregates) -> dict[int, dict]:
    rows = queryset.values(sid=F(street_path)).annotate(**aggregates).order_by()
    return {r.pop("sid"): r for r in rows}


def _empty_timing(prefix):
    return {f"{prefix}_median": None, f"{prefix}_avg": None}


def street_figures(start=None, end=None) -> dict:
    """Each street's figures side by side and the district's totals: 11 queries whatever the data.

    Returns {"streets": [row, …] in the streets' order, "totals": row of the district}."""

    streets = list(GridNode.objects.streets().only("id", "name", "code").order_by("sort_order", "id"))  # 1
    held = Q(status=Meeting.Status.HELD) & _window("held_at", start, end)
    joint, community = Committee.Kind.STREET_JOINT, Committee.Kind.COMMUNITY_PARTY
    meetings = _grouped(  # 2
        Meeting.objects.filter(held),
        "committee__grid_node__street_id",
        meetings_held=Count("id"),
        meetings_joint=Count("id", filter=Q(committee__kind=joint)),
        meetings_community=Count("id", filter=Q(committee__kind=community)),
    )
    resolved = Q(status=Matter.Status.RESOLVED) & _window("resolved_at", start, end)
    matters = _grouped(  # 3
        Matter.objects.filter(resolved),
        "committee__grid_node__street_id",
        matters_resolved=Count("id"),
        matters_joint=Count("id", filter=Q(committee__kind=joint)),
        matters_community=Count("id", filter=Q(committee__kind=community)),
    )
    resources = _grouped(Resource.objects.all(), "grid_node__street_id", resources=Count("id"))  # 4
    needs = _grouped(  # 5
        Need.objects.all(),
        "grid_node__street_id",
        needs=Count("id", filter=~Q(status__in=("closed", *Need.UNREVIEWED_STATUSES))),
        needs_covered=Count("id", filter=Q(status__in=COVERED_NEED_STATUSES)),
    )
    projects = _grouped(Project.objects.exclude(status="cancelled"), "grid_node__street_id", projects=Count("id"))  # 6
    claims = _grouped(  # 7
        Claim.objects.exclude(status="rejected").filter(_window("claimed_at", start, end)),
        "project__grid_node__street_id",
        claims=Count("id"),
        claims_completed=Count("id", filter=Q(status__in=("completed", "evaluated"))),
    )
    order_aggregates = {
        "orders": Count("id"),
        "orders_done": Count("id", filter=Q(status__in=ORDER_DONE)),
        "orders_rated": Count("id", filter=Q(rating__isnull=False)),
        "orders_rating": Avg("rating"),
        **_timing("order_accept", "submitted_at", "accepted_at"),
        **_timing("order_finish", "submitted_at", "delivered_at"),
    }
    in_orders = Order.objects.filter(_window("submitted_at", start, end))
    orders = _grouped(in_orders, "grid_node__street_id", **order_aggregates)  # 8
    issues, issue_totals = _issue_figures(start, end)  # 9
    points_q = Q()
    if start:
        points_q &= Q(occurred_on__gte=start)
    if end:
        points_q &= Q(occurred_on__lte=end)
    points = _grouped(  # 10
        PointsEntry.objects.filter(points_q),
        "street_id",
        points=Sum("points"),
        points_members=Count("member", distinct=True),
    )
    # 11: the district's order times and ratings (medians do not add up; the issues' came with query 9)
    totals = {**in_orders.aggregate(**order_aggregates), **issue_totals}

    def row(street) -> dict:
        sid = street.pk
        r = {"id": sid, "name": street.name, "code": street.code}
        r.update(meetings.get(sid, {"meetings_held": 0, "meetings_joint": 0, "meetings_community": 0}))
        r.update(matters.get(sid, {"matters_resolved": 0, "matters_joint": 0, "matters_community": 0}))
        r.update(resources.get(sid, {"resources": 0}))
        r.update(needs.get(sid, {"needs": 0, "needs_covered": 0}))
        r.update(projects.get(sid, {"projects": 0}))
        r.update(claims.get(sid, {"claims": 0, "claims_completed": 0}))
        r.update(orders.get(sid) or _zero(order_aggregates))
        r.update(issues.get(sid) or {k: (0 if k in ISSUE_COUNTS else None) for k in ISSUE_KEYS})
        r.update(points.get(sid, {"points": 0, "points_members": 0}))
        return _finish(r)

    rows = [row(s) for s in streets]
    total = {"id": None, "name": str(District.load()), "code": ""}
    for key in COUNTED:
        total[key] = sum(r[key] or 0 for r in rows)
    total.update(totals)
    return {"streets": rows, "totals": _finish(total)}


COUNTED = (
    "meetings_held",
    "meetings_joint",
    "meetings_community",
    "matters_resolved",
    "matters_joint",
    "matters_community",
    "resources",
    "needs",
    "needs_covered",
    "projects",
    "claims",
    "claims_completed",
    "points",
    "points_members",
)


def _zero(aggregates: dict) -> dict:
    return {k: (0 if isinstance(v, Count) else None) for k, v in aggregates.items()}


def _finish(r: dict) -> dict:
    """Rounded times and ratings, coverage and satisfied share."""
    for key in ("order_accept", "order_finish", "issue_accept", "issue_finish"):
        r[f"{key}_median"] = _round(r[f"{key}_median"])
        r[f"{key}_avg"] = _round(r[f"{key}_avg"])
    r["orders_rating"] = _round(r["orders_rating"], 2)
    r["satisfaction"] = _round(r["satisfaction"], 2)
    r["satisfied_share"] = round(100 * r["satisfied"] / r["issues_rated"], 1) if r["issues_rated"] else None
    r["coverage"] = round(100 * r["needs_covered"] / r["needs"], 1) if r["needs"] else 0
    r["points"] = r["points"] or 0
    return r


def ranking(rows: list[dict], measure: str) -> list[dict]:
    """The streets ranked by ``measure`` (one of MEASURES): ties share a rank; streets without a value last."""
    better = MEASURES[measure][1]
    valued = [r for r in rows if r.get(measure) is not None]
    valued.sort(key=lambda r: (r[measure] if better == "low" else -r[measure], r["name"]))
    ranked, previous, rank = [], object(), 0
    for position, r in enumerate(valued, start=1):
        if r[measure] != previous:
            rank, previous = position, r[measure]
        ranked.append({"rank": rank, "id": r["id"], "name": r["name"], "value": r[measure]})
    ranked += [{"rank": None, "id": r["id"], "name": r["name"], "value": None} for r in rows if r.get(measure) is None]
    return ranked


def _months(start: datetime.date, end: datetime.date) -> list[str]:
    months, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month) and len(months) < 120:
        months.append(f"{y}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def _trend_source(measure: str, start, end):
    """(queryset, month stamp, street path, aggregate) of a trend measure."""
    if measure == "meetings_held":
        qs = Meeting.objects.filter(status=Meeting.Status.HELD)
        return qs.filter(_window("held_at", start, end)), "held_at", "committee__grid_node__street_id", Count("id")
    if measure == "matters_resolved":
        qs = Matter.objects.filter(status=Matter.Status.RESOLVED)
        return (
            qs.filter(_window("resolved_at", start, end)),
            "resolved_at",
            "committee__grid_node__street_id",
            Count("id"),
        )
    if measure == "claims":
        qs = Claim.objects.exclude(status="rejected").filter(_window("claimed_at", start, end))
        return qs, "claimed_at", "project__grid_node__street_id", Count("id")
    if measure == "orders":
        return (
            Order.objects.filter(_window("submitted_at", start, end)),
            "submitted_at",
            "grid_node__street_id",
            Count("id"),
        )
    if measure == "issues":
        return (
            Issue.objects.filter(_window("reported_at", start, end)),
            "reported_at",
            "grid_node__street_id",
            Count("id"),
        )
    if measure == "satisfaction":
        qs = Issue.objects.filter(_window("rated_at", start, end), rating__isnull=False)
        return qs, "rated_at", "grid_node__street_id", Avg("rating")
    qs = PointsEntry.objects.filter(occurred_on__gte=start, occurred_on__lte=end)
    return qs, "occurred_on", "street_id", Sum("points")


def monthly_trend(streets: list[dict], measure: str, start: datetime.date, end: datetime.date) -> dict:
    """One measure (one of TRENDS) per street per month of the period: 1 query.

    Returns {"months": ["2026-01", …], "series": [{"id", "name", "values": [...]}, …], "totals": [...]}."""
    qs, stamp, path, aggregate = _trend_source(measure, start, end)
    found: dict[tuple[int, str], float] = {}
    for r in qs.annotate(m=TruncMonth(stamp)).values("m", sid=F(path)).annotate(v=aggregate).order_by():
        found[(r["sid"], r["m"].strftime("%Y-%m"))] = r["v"]
    months = _months(start, end)
    average = measure == "satisfaction"

    def value(v):
        return _round(v, 2) if average else (v or 0)

    series = [
        {"id": s["id"], "name": s["name"], "values": [value(found.get((s["id"], m))) for m in months]} for s in streets
    ]
    totals = []
    for i, _month in enumerate(months):
        values = [s["values"][i] for s in series if s["values"][i] is not None]
        totals.append(
            _round(sum(values) / len(values), 2) if average and values else (None if average else sum(values))
        )
    return {"months": months, "series": series, "totals": totals, "label": str(TRENDS[measure])}


def district_figures(
    *, start: datetime.date, end: datetime.date, rank_by: str = DEFAULT_RANK, trend: str = DEFAULT_TREND
) -> dict:
    """Everything the district page shows: 12 queries whatever the number of streets (pinned in a test)."""
    f = street_figures(start, end)  # 11 (District.load() is one of them)
    f["rank_by"], f["trend_by"] = rank_by, trend
    f["ranking"] = ranking(f["streets"], rank_by)
    f["ranking_label"] = MEASURES[rank_by][0]
    for r in [*f["streets"], f["totals"]]:
        r["cells"] = [(key, r[key]) for key, _label in COLUMNS]
    f["trend"] = monthly_trend(f["streets"], trend, start, end)  # 1
    return f


# The side-by-side table, the Excel sheet and the API share these columns: (key, label).
COLUMNS = [
    ("meetings_joint", _("街道大工委会议")),
    ("meetings_community", _("社区大党委会议")),
    ("meetings_held", _("召开会议合计")),
    ("matters_joint", _("街道议决事项")),
    ("matters_community", _("社区议决事项")),
    ("matters_resolved", _("议决事项合计")),
    ("resources", _("资源")),
    ("needs", _("需求")),
    ("needs_covered", _("已对接需求")),
    ("projects", _("项目")),
    ("claims", _("认领")),
    ("claims_completed", _("完成认领")),
    ("orders", _("点单")),
    ("orders_done", _("点单已送达")),
    ("order_accept_median", _("接单中位用时（小时）")),
    ("order_accept_avg", _("接单平均用时（小时）")),
    ("order_finish_median", _("点单办结中位用时（小时）")),
    ("order_finish_avg", _("点单办结平均用时（小时）")),
    ("orders_rating", _("点单平均评分")),
    ("issues", _("居民说事")),
    ("issues_done", _("说事已反馈")),
    ("issue_accept_median", _("说事受理中位用时（小时）")),
    ("issue_accept_avg", _("说事受理平均用时（小时）")),
    ("issue_finish_median", _("说事办结中位用时（小时）")),
    ("issue_finish_avg", _("说事办结平均用时（小时）")),
    ("satisfaction", _("说事满意度")),
    ("satisfied_share", _("满意率（%）")),
    ("points", _("党员积分")),
    ("points_members", _("获得积分的党员")),
]


def _chart(kind: str, labels, datasets) -> dict:
    return {"type": kind, "labels": [str(label) for label in labels], "datasets": datasets}


def district_charts(d: dict) -> dict:
    """Chart.js data of the district figures: meetings per street, the ranking, the monthly trend."""
    rows = d["streets"]
    names = [r["name"] for r in rows]
    return {
        "streets": _chart(
            "bar",
            names,
            [
                {"label": str(gettext("街道大工委会议")), "data": [r["meetings_joint"] for r in rows]},
                {"label": str(gettext("社区大党委会议")), "data": [r["meetings_community"] for r in rows]},
                {"label": str(gettext("议决事项")), "data": [r["matters_resolved"] for r in rows]},
            ],
        ),
        "ranking": _chart(
            "bar",
            [r["name"] for r in d["ranking"]],
            [{"label": str(MEASURES[d["rank_by"]][0]), "data": [r["value"] for r in d["ranking"]]}],
        ),
        "trend": _chart(
            "line",
            d["trend"]["months"],
            [{"label": s["name"], "data": s["values"]} for s in d["trend"]["series"]],
        ),
    }
