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
from openpyxl import Workbook
from openpyxl.styles import Font

from alliance.core.admin_base import is_admin_user
from alliance.core.exports import xlsx_response
from alliance.core.querying import ChoiceField, DateField, IdField, QueryForm, error_messages, page_status, read_query
from alliance.core.scoping import sees_all
from alliance.core.spreadsheets import append_row, workbook_bytes
from alliance.site import stats
from grids.models import GridNode

PRESETS = {"month": "本月", "quarter": "本季度", "year": "本年"}


class DashboardQuery(QueryForm):
    preset = ChoiceField(label="期间", choices=list(PRESETS.items()))
    start = DateField(label="起始日期")
    end = DateField(label="截止日期")
    node = IdField(label="网格")
    export = ChoiceField(label="导出", choices=[("xlsx", "Excel")])


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
        query.add_error("node", "网格不存在或不在您的管辖范围内。")
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
        "orders_status": chart("doughnut", f["orders"]["by_status"], [("count", "点单")]),
        "orders_category": chart("bar", f["orders"]["by_category"], [("count", "点单")]),
        "order_steps": chart("bar", f["order_steps"], [("hours", "中位用时（小时）")]),
        "issue_steps": chart("bar", f["issue_steps"], [("hours", "中位用时（小时）")]),
        "satisfaction": chart("line", f["satisfaction"], [("orders_avg", "点单评分"), ("issues_avg", "说事满意度")]),
        "claims": chart("bar", f["claims_per_unit"], [("claims", "认领"), ("completed", "完成")]),
        "top10": chart(
            "bar",
            [{"label": r["name"], "points": r["points"]} for r in (f["top10"] or {}).get("rows", [])],
            [("points", "积分")],
        ),
    }


def sheets(f: dict) -> list[tuple[str, list[str], list[list]]]:
    """Every figure of the dashboard as (sheet title, header, rows)."""
    lists = f["lists"]
    return [
        ("点单状态", ["状态", "数量"], [[r["label"], r["count"]] for r in f["orders"]["by_status"]]),
        ("点单类别", ["类别", "数量"], [[r["label"], r["count"]] for r in f["orders"]["by_category"]]),
        ("点单环节用时", ["环节", "中位用时（小时）"], [[r["label"], r["hours"]] for r in f["order_steps"]]),
        ("说事状态", ["环节", "数量"], [[r["label"], r["count"]] for r in f["issues"]["by_status"]]),
        ("说事环节用时", ["环节", "中位用时（小时）"], [[r["label"], r["hours"]] for r in f["issue_steps"]]),
        (
            "满意度",
            ["月份", "点单平均评分", "说事平均满意度"],
            [[r["label"], r["orders_avg"], r["issues_avg"]] for r in f["satisfaction"]],
        ),
        (
            "单位认领",
            ["单位", "认领", "完成"],
            [[r["label"], r["claims"], r["completed"]] for r in f["claims_per_unit"]],
        ),
        (
            "清单覆盖",
            ["指标", "数值"],
            [
                ["资源", lists["resources"]],
                ["需求（未关闭）", lists["needs"]],
                ["已对接需求", lists["needs_covered"]],
                ["需求覆盖率（%）", lists["coverage"]],
                ["项目", lists["projects"]],
                ["期间完成项目", lists["projects_completed"]],
                ["期间认领", lists["claims"]],
                ["期间完成认领", lists["claims_completed"]],
                ["众筹认捐（元）", float(lists["pledged"])],
            ],
        ),
        (
            "会议议题",
            ["指标", "数值"],
            [["召开会议", f["committee"]["meetings_held"]], ["议决事项", f["committee"]["matters_resolved"]]],
        ),
        (
            "积分TOP10",
            ["名次", "姓名", "单位", "积分"],
            [[r["rank"], r["name"], r["unit_name"], r["points"]] for r in (f["top10"] or {}).get("rows", [])],
        ),
    ]


def workbook(f: dict, title: str) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, header, rows in sheets(f):
        sheet = book.create_sheet(name)
        append_row(sheet, [title])
        sheet.append(header)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in rows:
            append_row(sheet, row)
        sheet.column_dimensions["A"].width = 28
    return workbook_bytes(book)


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
    scope = node.name if node else "全区"
    title = f"{scope} {start:%Y-%m-%d} 至 {end:%Y-%m-%d}"
    if exporting:
        return xlsx_response(
            workbook(f, title),
            f"数据看板-{start:%Y%m%d}-{end:%Y%m%d}.xlsx",
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
        "title": "统计看板",
        "subtitle": title,
        "f": f,
        "charts": charts(f),
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
