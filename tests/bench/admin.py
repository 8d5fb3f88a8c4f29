"""The admin part of the web bench (tests/bench/web.py PARTS; issue 19, "Admin and to-do at city scale").

Signed in as a street admin of one street (``city-street-admin`` of seed_city's first street, or the demo's
``street_admin`` where the city is not seeded) and as the superuser ``admin`` (the whole city), it measures the
change lists of orders, issues, member units, grid nodes, party members and points entries, each plain and with
one filter, one search (Chinese) and one sort, and the staff to-do page (the admin's index). Each account's group
is bracketed by the admin ceiling (alliance.site.bench_views: the stock Django admin's change list of 50 rows of
a small table, five plain columns) measured before and after it with the same session; the ratio uses their
mean. Target: ≥0.7× the ceiling and p95 < 300 ms at the bench's 16 clients.
"""

import datetime
import json
import os
import subprocess
from urllib.parse import quote, unquote

from tests.bench.report import Figure
from tests.bench.web import manage

SECTION = "后台"
CEILING = ("天花板 admin列表50行", "/bench/admin/members/partyorganization/")
GOAL_RATIO = 0.7
GOAL_P95_MS = 300
TARGET = f"≥{GOAL_RATIO:.1f}×, p95<{GOAL_P95_MS}ms"
# (account, label): the street admin of the city's first street, else the demo district's.
STREET_ADMINS = ("city-street-admin", "street_admin")
SUPERUSER = "admin"


def _days_ago(n: int) -> str:
    return (datetime.date.today() - datetime.timedelta(days=n)).isoformat()


def lists() -> list[tuple[str, str, str, str, dict[str, str]]]:
    """(label, model label, path, the field the sort variant sorts on, {variant: query string}) of each list.

    The sort goes by a column's position in ``list_display`` (``?o=<n>``): found from the running code, so a list
    whose columns change still sorts on the same field. The search terms are Chinese: a menu item's, an issue's,
    a unit's, a community's and a party member's name fragment of the demo district."""
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    return [
        ("点单", "services.Order", "/admin/services/order/", "submitted_at", {
            "筛选": "todo=orders_to_accept",
            "搜索": "q=" + quote("党课"),
        }),
        ("居民说事", "services.Issue", "/admin/services/issue/", "reported_at", {
            "筛选": "status__exact=handling",
            "搜索": "q=" + quote("路灯"),
        }),
        ("成员单位", "members.MemberUnit", "/admin/members/memberunit/", "name", {
            "筛选": "kind__exact=private_firm",
            "搜索": "q=" + quote("税务"),
        }),
        ("网格", "grids.GridNode", "/admin/grids/gridnode/", "name", {
            "筛选": "level__exact=3",
            "搜索": "q=" + quote("舜园"),
        }),
        ("党员", "members.PartyMember", "/admin/members/partymember/", "name", {
            "筛选": "is_active__exact=1",
            "搜索": "q=" + quote("易琳"),
        }),
        ("积分记录", "points.PointsEntry", "/admin/points/pointsentry/", "occurred_on", {
            # The date filter's 「过去30天」: what DateFieldListFilter links to.
            "筛选": f"occurred_on__gte={_days_ago(30)}&occurred_on__lt={tomorrow}",
            "搜索": "q=" + quote("易琳"),
        }),
    ]  # fmt: skip


COLUMNS_CODE = """
import json
from django.contrib import admin
from django.apps import apps
print("COLUMNS", json.dumps({label: list(admin.site._registry[apps.get_model(label)].list_display)
                            for label in LABELS}))
"""


def sort_columns(env: dict, targets) -> dict[str, str]:
    """``?o=`` of each list's sort variant: the oldest first (a date column) or by name, ascending."""
    labels = [model for _, model, _, _, _ in targets]
    out = manage(env, "shell", "-c", COLUMNS_CODE.replace("LABELS", repr(labels)), capture=True)
    columns = json.loads(out.split("COLUMNS", 1)[1])
    return {model: str(columns[model].index(field) + 1) for _, model, _, field, _ in targets}


def street_admin_cookie(ctx) -> tuple[str, str]:
    for username in STREET_ADMINS:
        try:
            return username, ctx.cookie(username)
        except subprocess.CalledProcessError:
            continue
    raise RuntimeError(f"no street admin account ({', '.join(STREET_ADMINS)}): seed_demo or seed_city first")


def run(ctx) -> list[Figure]:
    targets = lists()
    sort = sort_columns(ctx.env, targets)
    pages = [("今日待办", "/admin/")]
    for label, model, path, field, variants in targets:
        pages.append((f"{label} 列表", path))
        for variant, query in variants.items():
            pages.append((f"{label} {variant}", f"{path}?{query}"))
        pages.append((f"{label} 排序（{field}）", f"{path}?o={sort[model]}"))
    # BENCH_ADMIN_ONLY=<substring,...>: only the pages whose path or name holds one (今日待办: the to-do page).
    only = [s for s in os.environ.get("BENCH_ADMIN_ONLY", "").split(",") if s]
    street_user, street_cookie = street_admin_cookie(ctx)
    accounts = [(f"街道管理员 {street_user}", street_cookie), (f"超级管理员 {SUPERUSER}", ctx.cookie(SUPERUSER))]

    rows: list[Figure] = []
    for who, cookie in accounts:
        label, path = CEILING
        before, note = ctx.measure(path, cookie)
        if before is None:
            raise RuntimeError(f"the admin ceiling {path} does not answer ({note}); BENCH_CEILINGS=1?")
        group = []
        for name, page in pages:
            if only and not any(s in page or s in name for s in only):
                continue
            r, note = ctx.measure(page, cookie)
            group.append((name, page, r, note))
            if r:
                print(f"  {name} ({who}): {r['rps']:.0f} req/s, p95 {r['p95']:.1f} ms", flush=True)
            else:
                print(f"  {name} ({who}): {note}", flush=True)
        after, _ = ctx.measure(path, cookie)
        after = after or before
        ceiling = (before["rps"] + after["rps"]) / 2
        print(f"  {label} ({who}): {before['rps']:.0f} / {after['rps']:.0f} req/s", flush=True)
        rows.append(Figure(SECTION, label, who, ceiling, p95=max(before["p95"], after["p95"])))
        for name, page, r, note in group:
            if r is None:
                rows.append(Figure(SECTION, name, who, note=f"{note} {page}", ok=False, target="能打开"))
                continue
            ratio = r["rps"] / ceiling
            ok = ratio >= GOAL_RATIO and r["p95"] < GOAL_P95_MS and not r["bad"]
            shown = unquote(page.split("?", 1)[1]) if "?" in page else ""
            rows.append(
                Figure(
                    SECTION,
                    name,
                    who,
                    r["rps"],
                    p95=r["p95"],
                    ceiling=ceiling,
                    ratio=ratio,
                    target=TARGET,
                    ok=ok,
                    note="; ".join(x for x in (shown, note) if x),
                )
            )
    return rows
