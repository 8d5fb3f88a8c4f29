"""The statistics dashboard of the admin (/admin/dashboard/): scoped to the viewer's subtree,
filterable by period, charts drawn by the local Chart.js, every figure exportable to Excel.

``install(site)`` adds the two URLs to an AdminSite without replacing anything it already has.
"""

import datetime

from django.contrib import admin
from django.core.exceptions import BadRequest, PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from alliance.core.admin_base import is_admin_user
from alliance.core.exports import xlsx_response
from alliance.core.querying import ChoiceField, DateField, IdField, QueryForm, error_messages, page_status, read_query
from alliance.core.replica import reads_from_replica
from alliance.core.scoping import sees_all
from alliance.core.spreadsheets import append_row, workbook_bytes
from alliance.site import district_stats, stats
from grids.models import GridNode

PRESETS = {"month": gettext_lazy("本月"), "quarter": gettext_lazy("本季度"), "year": gettext_lazy("本年")}


class DashboardQuery(QueryForm):
    preset = ChoiceField(label=gettext_lazy("期间"), choices=list(PRESETS.items()))
    start = DateField(label=gettext_lazy("起始日期"))
    end = DateField(label=gettext_lazy("截止日期"))
    node = IdField(label=gettext_lazy("网格"))
    rank = ChoiceField(label=gettext_lazy("排名指标"), choices=[(k, v[0]) for k, v in district_stats.MEASURES.items()])
    trend = ChoiceField(label=gettext_lazy("趋势指标"), choices=list(district_stats.TRENDS.items()))
    export = ChoiceField(label=gettext_lazy("导出"), choices=[("xlsx", "Excel")])


def period_from(query, today) -> tuple[datetime.date, datetime.date, str]:
    """(start, end, preset) from ?preset= or ?start=&end= (dates, inclusive); this year by default."""
    start, end = query.value("start"), query.value("end")
    preset = query.value("preset") or ("" if (start or end) else "year")
    if preset == "month":
        return today.replace(day=1), today, preset
    if preset == "quarter":
        return datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), today, preset
    if preset == "year" or not (start or end):
        return datetime.date(today.year, 1, 1), today, "year"
    start = start or datetime.date(end.year, 1, 1)
    end = end or today
    if end < start:
        start, end = end, start
    return start, end, ""


def viewer_node(request, query=None):
    """The node chosen with ?node= inside the viewer's subtree, else the viewer's own node (None: all).
    A node that does not exist, or lies outside the subtree, is an error of ``query``."""
    user = request.user
    own = None if sees_all(user) else user.grid_node
    query = query if query is not None else read_query(request, DashboardQuery)
    chosen = query.value("node")
    if chosen is None:
        return own
    qs = GridNode.objects.filter(pk=chosen, level__lte=GridNode.Level.COMMUNITY)
    if own is not None:
        qs = qs.filter(path__startswith=own.path)
    node = qs.only("id", "name", "path", "level", "street_id").first()
    if node is None:
        query.add_error("node", _("网格不存在或不在您的管辖范围内。"))
    return node or own


def node_choices(request):
    """Streets and communities the viewer may choose (one query)."""
    qs = GridNode.objects.filter(level__lte=GridNode.Level.COMMUNITY).only("id", "name", "level", "path")
    if not sees_all(request.user):
        qs = qs.filter(path__startswith=request.user.grid_node.path)
    return list(qs.order_by("path"))


def charts(f: dict) -> dict:
    def chart(kind, rows, series):
        return {
            "type": kind,
            "labels": [str(r["label"]) for r in rows],
            "datasets": [{"label": label, "data": [r[key] for r in rows]} for key, label in series],
        }

    return {
        "orders_status": chart("doughnut", f["orders"]["by_status"], [("count", _("点单"))]),
        "orders_category": chart("bar", f["orders"]["by_category"], [("count", _("点单"))]),
        "order_steps": chart("bar", f["order_steps"], [("hours", _("中位用时（小时）"))]),
        "issue_steps": chart("bar", f["issue_steps"], [("hours", _("中位用时（小时）"))]),
        "satisfaction": chart(
            "line", f["satisfaction"], [("orders_avg", _("点单评分")), ("issues_avg", _("说事满意度"))]
        ),
        "claims": chart("bar", f["claims_per_unit"], [("claims", _("认领")), ("completed", _("完成"))]),
        "top10": chart(
            "bar",
            [{"label": r["name"], "points": r["points"]} for r in (f["top10"] or {}).get("rows", [])],
            [("points", _("积分"))],
        ),
    }


def sheets(f: dict) -> list[tuple[str, list[str], list[list]]]:
    """Every figure of the dashboard as (sheet title, header, rows)."""
    lists = f["lists"]
    return [
        (_("点单状态"), [_("状态"), _("数量")], [[r["label"], r["count"]] for r in f["orders"]["by_status"]]),
        (_("点单类别"), [_("类别"), _("数量")], [[r["label"], r["count"]] for r in f["orders"]["by_category"]]),
        (_("点单环节用时"), [_("环节"), _("中位用时（小时）")], [[r["label"], r["hours"]] for r in f["order_steps"]]),
        (_("说事状态"), [_("环节"), _("数量")], [[r["label"], r["count"]] for r in f["issues"]["by_status"]]),
        (_("说事环节用时"), [_("环节"), _("中位用时（小时）")], [[r["label"], r["hours"]] for r in f["issue_steps"]]),
        (
            _("满意度"),
            [_("月份"), _("点单平均评分"), _("说事平均满意度")],
            [[r["label"], r["orders_avg"], r["issues_avg"]] for r in f["satisfaction"]],
        ),
        (
            _("单位认领"),
            [_("单位"), _("认领"), _("完成")],
            [[r["label"], r["claims"], r["completed"]] for r in f["claims_per_unit"]],
        ),
        (
            _("清单覆盖"),
            [_("指标"), _("数值")],
            [
                [_("资源"), lists["resources"]],
                [_("需求（未关闭）"), lists["needs"]],
                [_("已对接需求"), lists["needs_covered"]],
                [_("需求覆盖率（%）"), lists["coverage"]],
                [_("项目"), lists["projects"]],
                [_("期间完成项目"), lists["projects_completed"]],
                [_("期间认领"), lists["claims"]],
                [_("期间完成认领"), lists["claims_completed"]],
                [_("众筹认捐（元）"), float(lists["pledged"])],
            ],
        ),
        (
            _("会议议题"),
            [_("指标"), _("数值")],
            [[_("召开会议"), f["committee"]["meetings_held"]], [_("议决事项"), f["committee"]["matters_resolved"]]],
        ),
        (
            _("积分TOP10"),
            [_("名次"), _("姓名"), _("单位"), _("积分")],
            [[r["rank"], r["name"], r["unit_name"], r["points"]] for r in (f["top10"] or {}).get("rows", [])],
        ),
    ]


def district_sheets(d: dict) -> list[tuple[str, list[str], list[list]]]:
    """The district figures as (sheet title, header, rows): each street's figures with the district's
    total, the ranking of streets, the monthly trend per street."""
    columns = district_stats.COLUMNS
    header = [str(_("街道")), *[str(label) for _key, label in columns]]
    rows = [[r["name"], *[r[key] for key, _label in columns]] for r in d["streets"]]
    rows.append([str(_("全区合计")), *[d["totals"][key] for key, _label in columns]])
    measure = str(district_stats.MEASURES[d["rank_by"]][0])
    trend = d["trend"]
    return [
        (str(_("各街道数据")), header, rows),
        (
            str(_("街道排名")),
            [str(_("名次")), str(_("街道")), measure],
            [[r["rank"], r["name"], r["value"]] for r in d["ranking"]],
        ),
        (
            str(_("月度趋势")),
            [str(_("街道")), *trend["months"]],
            [[s["name"], *s["values"]] for s in trend["series"]] + [[str(_("全区")), *trend["totals"]]],
        ),
    ]


def workbook(f: dict | None, title: str, district: dict | None = None) -> bytes:
    """The Excel of the figures: the district's sheets first (when given), then the subtree's (when given)."""
    book = Workbook()
    book.remove(book.active)
    for name, header, rows in [*(district_sheets(district) if district else []), *(sheets(f) if f is not None else [])]:
        sheet = book.create_sheet(name)
        append_row(sheet, [title])
        sheet.append(header)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in rows:
            append_row(sheet, row)
        sheet.column_dimensions["A"].width = 28
    return workbook_bytes(book)


def district_workbook(d: dict, title: str) -> bytes:
    return workbook(None, title, district=d)


@reads_from_replica
def dashboard_view(request, site=None):
    if not is_admin_user(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    exporting = "export" in request.GET
    query = read_query(request, DashboardQuery)
    start, end, preset = period_from(query, today)
    node = viewer_node(request, query)
    if exporting and query.errors:  # a download cannot show the error: the 400 page does
        raise BadRequest("；".join(error_messages(query)))
    f = stats.dashboard_figures(node=node, start=start, end=end, today=today)
    district = None
    if node is None:  # the whole district (superusers, district admins): every street side by side
        district = district_stats.district_figures(
            start=start,
            end=end,
            rank_by=query.value("rank") or district_stats.DEFAULT_RANK,
            trend=query.value("trend") or district_stats.DEFAULT_TREND,
        )
    scope = district["totals"]["name"] if district else node.name
    title = _("%(scope)s %(start)s 至 %(end)s") % {
        "scope": scope,
        "start": f"{start:%Y-%m-%d}",
        "end": f"{end:%Y-%m-%d}",
    }
    if exporting:
        return xlsx_response(
            workbook(f, title, district=district),
            _("数据看板-%(start)s-%(end)s.xlsx") % {"start": f"{start:%Y%m%d}", "end": f"{end:%Y%m%d}"},
            f"dashboard-{start:%Y%m%d}-{end:%Y%m%d}.xlsx",
        )
    site = site or admin.site
    # Not site.each_context(): its app list costs queries that grow with every app's admin; the
    # dashboard shows no sidebar, so its query count stays its own.
    context = {
        "site_title": site.site_title,
        "site_header": site.site_header,
        "site_url": site.site_url,
        "has_permission": True,
        "available_apps": [],
        "is_popup": False,
        "is_nav_sidebar_enabled": False,
        "log_entries": [],
        "title": _("统计看板"),
        "subtitle": title,
        "f": f,
        "charts": {**charts(f), **(district_stats.district_charts(district) if district else {})},
        "d": district,
        "columns": district_stats.COLUMNS,
        "measures": [(k, v[0]) for k, v in district_stats.MEASURES.items()],
        "trends": list(district_stats.TRENDS.items()),
        "rank_by": district["rank_by"] if district else "",
        "trend_by": district["trend_by"] if district else "",
        "start": start,
        "end": end,
        "preset": preset,
        "presets": PRESETS,
        "node": node,
        "nodes": node_choices(request),
        "query": request.GET.urlencode(),
    }
    return TemplateResponse(request, "admin/dashboard.html", context, status=page_status(request, query))


def install(site) -> None:
    """Add /admin/dashboard/ to ``site`` (idempotent)."""
    if getattr(site, "_dashboard_installed", False):
        return
    original = site.get_urls

    def view(request):
        return dashboard_view(request, site=site)

    def get_urls():
        return [path("dashboard/", site.admin_view(view), name="dashboard"), *original()]

    site.get_urls = get_urls
    site._dashboard_installed = True
