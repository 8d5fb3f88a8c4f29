"""Public figures with charts, the monthly TOP10 of party members, and a member's own points."""

import functools
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Sum
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.core.exports import xlsx_response
from alliance.core.querying import (
    ChoiceField,
    DateField,
    IdField,
    QueryForm,
    YearField,
    YearMonthField,
    page_status,
    read_download_query,
    read_query,
)
from alliance.core.replica import reads_from_replica
from alliance.points import hours, indexes, rankings
from alliance.points import stars as star_ratings
from alliance.points.models import PointsEntry, ServiceHoursTarget, StarRating
from alliance.site import dashboard, district_stats, stats
from grids.models import District, GridNode
from members.models import PartyMember


class FiguresQuery(QueryForm):
    street = IdField(label=gettext_lazy("街道"))
    year = YearField(label=gettext_lazy("年度"))
    start = DateField(label=gettext_lazy("起始日期"))
    end = DateField(label=gettext_lazy("截止日期"))
    rank = ChoiceField(label=gettext_lazy("排名指标"), choices=[(k, v[0]) for k, v in district_stats.MEASURES.items()])
    trend = ChoiceField(label=gettext_lazy("趋势指标"), choices=list(district_stats.TRENDS.items()))


class MonthQuery(QueryForm):
    month = YearMonthField(label=gettext_lazy("月份"))


class StarsQuery(MonthQuery):
    kind = ChoiceField(
        label=gettext_lazy("类别"),
        choices=[("unit", gettext_lazy("成员单位")), ("station", gettext_lazy("服务站点"))],
    )


def _chart(kind: str, labels, datasets) -> dict:
    return {"type": kind, "labels": [str(label) for label in labels], "datasets": datasets}


def _count_chart(kind: str, rows, label: str) -> dict:
    """One series of ``rows`` (each with a "label" and a "count")."""
    return _chart(kind, [r["label"] for r in rows], [{"label": label, "data": [r["count"] for r in rows]}])


def _streets():
    return list(
        GridNode.objects.streets().only("id", "name", "code", "path", "street_id", "level").order_by("sort_order", "id")
    )


def figures_charts(f: dict) -> dict:
    """Chart.js data of the public figures (read by static/alliance/charts.js)."""
    lists = f["lists"]
    return {
        "units": _count_chart("bar", f["units_by_kind"], _("成员单位")),
        "lists": _chart(
            "bar",
            [_("资源"), _("需求"), _("项目"), _("认领"), _("众筹项目")],
            [
                {
                    "label": _("数量"),
                    "data": [
                        lists["resources"],
                        lists["needs"],
                        lists["projects"],
                        lists["claims"],
                        lists["crowdfunding_projects"],
                    ],
                }
            ],
        ),
        "orders": _count_chart("doughnut", f["orders"]["by_status"], _("点单")),
        "issues": _count_chart("doughnut", f["issues"]["by_status"], _("居民说事")),
        "satisfaction": _count_chart("bar", f["issues"]["satisfaction"], _("评价数")),
        "committee": _chart(
            "line",
            [r["label"] for r in f["monthly_committee"]],
            [
                {"label": _("召开会议"), "data": [r["meetings_held"] for r in f["monthly_committee"]]},
                {"label": _("议决事项"), "data": [r["matters_resolved"] for r in f["monthly_committee"]]},
            ],
        ),
        "top10": _chart(
            "bar",
            [r["name"] for r in f["top10"]["rows"]],
            [{"label": _("积分"), "data": [r["points"] for r in f["top10"]["rows"]]}],
        ),
    }


def _district_context(query, today) -> dict:
    start, end, year = district_stats.period(query.value("start"), query.value("end"), query.value("year"), today)
    rank_by = query.value("rank") or district_stats.DEFAULT_RANK
    trend = query.value("trend") or district_stats.DEFAULT_TREND

    @functools.cache
    def d() -> dict:
        return district_stats.cached_figures(start=start, end=end, rank_by=rank_by, trend=trend)

    # ``d`` is called only where it is read: the page's cached fragment reads nothing while it is current.
    return {"d": d, "start": start, "end": end, "year": year, "rank_by": rank_by, "trend_by": trend}


STREETS_PER_PAGE = 20


def _street_pages(request, d) -> dict:
    """The side-by-side and trend tables a page of streets at a time (a city has a hundred: a quarter-megabyte
    page); the totals, the ranking and the charts stay those of every street. Lazy, like ``d``."""

    @functools.cache
    def page():
        figures = d()
        streets = Paginator(figures["streets"], STREETS_PER_PAGE).get_page(request.GET.get("page"))
        shown = {row["id"] for row in streets}
        return {"streets": streets, "trend": [s for s in figures["trend"]["series"] if s["id"] in shown]}

    return {"street_page": page}


@reads_from_replica
def figures(request):
    """/alliance/figures/: the district's figures (every street side by side, rankings, monthly trends), or
    with ?street= a street's figures of a year, with charts (a fixed number of queries either way)."""
    # The streets' list is read for a street's page, or when the picker's cached fragment is drawn again.
    streets = SimpleLazyObject(_streets)
    today = timezone.localdate()
    query = read_query(request, FiguresQuery)
    street_id = query.value("street")
    street = next((s for s in streets if s.pk == street_id), None) if street_id else None
    if street_id and street is None:
        query.add_error("street", _("街道不存在。"))
    year = query.value("year") or today.year
    if not 2000 <= year <= today.year + 1:
        year = today.year
    context = {"streets": streets, "street": street, "year": year, "years": range(today.year, today.year - 5, -1)}
    if street is not None:
        f = stats.public_figures(street=street, year=year, today=today)
        context.update(f=f, charts=figures_charts(f))
    else:
        context.update(_district_context(query, today))
        context.update(
            district=District.load(),
            district_level=True,
            charts=functools.cache(lambda: district_stats.district_charts(context["d"]())),
            columns=district_stats.COLUMNS,
            measures=[(k, v[0]) for k, v in district_stats.MEASURES.items()],
            trends=list(district_stats.TRENDS.items()),
            query=request.GET.urlencode(),
            **_street_pages(request, context["d"]),
        )
    return render(request, "alliance/stats_figures.html", context, status=page_status(request, query))


@reads_from_replica
def figures_xlsx(request):
    """/alliance/figures/xlsx/: the district figures of the page's period as Excel (an invalid parameter: 400)."""
    today = timezone.localdate()
    query = read_download_query(request, FiguresQuery)
    c = _district_context(query, today)
    district = District.load()
    title = _("%(district)s %(start)s 至 %(end)s") % {
        "district": str(district),
        "start": f"{c['start']:%Y-%m-%d}",
        "end": f"{c['end']:%Y-%m-%d}",
    }
    return xlsx_response(
        dashboard.district_workbook(c["d"](), title),
        _("全区数据-%(start)s-%(end)s.xlsx") % {"start": f"{c['start']:%Y%m%d}", "end": f"{c['end']:%Y%m%d}"},
        f"district-{c['start']:%Y%m%d}-{c['end']:%Y%m%d}.xlsx",
    )


@reads_from_replica
def top10(request):
    """/alliance/top10/: each street's TOP10 of the month, frozen once published; the index rules."""
    today = timezone.localdate()
    query = read_query(request, MonthQuery)
    year, month = query.value("month") or (today.year, today.month)
    streets = _streets()
    found = rankings.top10(street_ids=[s.pk for s in streets], year=year, month=month)
    boards = [{"street": s, **found[s.pk]} for s in streets]
    months = []
    y, m = today.year, today.month
    for _step in range(12):
        months.append(f"{y}-{m:02d}")
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    context = {
        "boards": boards,
        "selected": f"{year}-{month:02d}",
        "label": _("%(year)s年%(month)s月") % {"year": year, "month": month},
        "months": months,
        "pioneer_rule": indexes.PIONEER_RULE,
        "fortress_rule": indexes.FORTRESS_RULE,
    }
    return render(request, "alliance/stats_top10.html", context, status=page_status(request, query))


@login_required
@reads_from_replica
def my_points(request):
    """/alliance/points/me/: the logged-in party member's points, indexes, hours and full history."""
    member = PartyMember.objects.filter(user=request.user).select_related("community", "unit").first()
    context = {"member": member, "pioneer_rule": indexes.PIONEER_RULE}
    if member is not None:
        today = timezone.localdate()
        street_id = member.community.street_id or member.community_id
        year_entries = PointsEntry.objects.filter(member=member, occurred_on__year=today.year)
        totals = year_entries.aggregate(points=Sum("points"), hours=Sum("hours"))
        target = ServiceHoursTarget.objects.filter(street_id=street_id, year=today.year).first()
        page = Paginator(rankings.member_history(member), 30).get_page(request.GET.get("page"))
        context.update(
            year=today.year,
            total=totals["points"] or 0,
            hours=totals["hours"] or 0,
            target=target,
            due=(target.hours * hours.elapsed_fraction(today)).quantize(Decimal("0.1")) if target else None,
            pioneer=indexes.pioneer_indexes(street_id=street_id, year=today.year).get(member.pk),
            page=page,
        )
    return render(request, "alliance/stats_my_points.html", context)


@reads_from_replica
def stars(request):
    """/alliance/stars/: the month's star ratings of units and stations, with the rule (two queries a page)."""

    today = timezone.localdate()
    query = read_query(request, StarsQuery)
    year, month = query.value("month") or rankings.previous_month(today)
    ratings = StarRating.objects.filter(year=year, month=month).select_related("unit", "station", "grid_node")
    kind = query.value("kind")
    ratings = ratings.filter(station__isnull=False) if kind == "station" else ratings.filter(unit__isnull=False)
    mine = None
    user = request.user
    if kind != "station" and user.is_authenticated and user.unit_id:
        mine = next(iter(ratings.filter(unit_id=user.unit_id)), None)
    page = Paginator(ratings.order_by("-score", "id"), 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "mine": mine,
        "kind": "station" if kind == "station" else "unit",
        "label": _("%(year)s年%(month)s月") % {"year": year, "month": month},
        "selected": f"{year}-{month:02d}",
        "rule": star_ratings.STAR_RULE,
    }
    return render(request, "alliance/stats_stars.html", context, status=page_status(request, query))
