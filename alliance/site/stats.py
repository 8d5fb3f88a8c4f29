"""Statistics across the apps, for the public figures page and the admin dashboard.

Every function runs a fixed number of queries whatever the period or the size of the data (the
tests pin them). ``node`` limits the figures to a grid subtree (None: the whole district);
``start``/``end`` (dates, inclusive) limit the flow figures (orders, issues, claims, meetings,
points) to a period, while stock figures (units, seats, pairings, lists) are the current ones.
"""

import datetime
import statistics
from decimal import Decimal

from django.db.models import Avg, Count, Q, Sum
from django.db.models.functions import Coalesce, ExtractMonth, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alliance.committee.models import Matter, Meeting, Seat
from alliance.core.scoping import subtree_q
from alliance.points import rankings
from grids.models import GridNode
from members.models import EnterpriseAllianceMembership, MemberUnit, Pairing
from projects.models import Claim, Need, Pledge, Project, Resource
from services.models import Issue, IssueEvent, Order


def _in(path: str, node) -> Q:
    return subtree_q(path, node) if node is not None else Q()


def _window(field: str, start, end) -> Q:
    """Moments of ``field`` in [start, end] (local dates, inclusive)."""
    q = Q()
    if start:
        q &= Q(**{f"{field}__gte": timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))})
    if end:
        upto = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min)
        q &= Q(**{f"{field}__lt": timezone.make_aware(upto)})
    return q


def _choices(choices, counts: dict) -> list[dict]:
    return [{"key": value, "label": str(label), "count": counts.get(value, 0)} for value, label in choices]


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


# --- the pieces ------------------------------------------------------------------------------------


def units_by_kind(node) -> list[dict]:
    """1 query."""

    counts = dict(
        MemberUnit.objects.filter(_in("grid_node", node), status=MemberUnit.Status.ACTIVE)
        .values_list("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    return _choices(MemberUnit.Kind.choices, counts)


def committee_seats(node, today) -> dict:
    """Current seats of street joint committees in (or above) the node's street: 1 query."""

    qs = Seat.objects.filter(committee__kind="street_joint", term_start__lte=today).filter(
        Q(term_end__isnull=True) | Q(term_end__gte=today)
    )
    if node is not None:
        qs = qs.filter(committee__grid_node__street_id=node.street_id or node.pk)
    counts = dict(qs.values_list("role").annotate(n=Count("id")).order_by())
    return {
        "full_time": counts.get("secretary", 0) + counts.get("full_time", 0),
        "part_time": counts.get("part_time", 0),
    }


def alliance_members(node, today) -> dict:
    """Paired units (current pairings) and enterprise-alliance firms: 2 queries."""

    paired = (
        Pairing.objects.filter(_in("grid_node", node), starts_on__lte=today)
        .exclude(status=Pairing.Status.TERMINATED)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .aggregate(n=Count("unit", distinct=True))["n"]
    )
    firms_q = Q()
    if node is not None:
        firms_q = Q(alliance__street_id=node.street_id or node.pk)
    firms = EnterpriseAllianceMembership.objects.filter(firms_q).aggregate(n=Count("unit", distinct=True))["n"]
    return {"paired_units": paired, "alliance_firms": firms}


COVERED_NEED_STATUSES = ("matched", "in_project", "fulfilled")


def lists_figures(node, start=None, end=None) -> dict:
    """The three lists: resources, needs (and how many are met), projects, claims, crowdfunding: 5 queries."""

    resources = Resource.objects.filter(_in("grid_node", node)).count()
    needs = Need.objects.filter(_in("grid_node", node)).aggregate(
        total=Count("id", filter=~Q(status__in=("closed", *Need.UNREVIEWED_STATUSES))),  # a unit's, once approved
        covered=Count("id", filter=Q(status__in=COVERED_NEED_STATUSES)),
    )
    projects = Project.objects.filter(_in("grid_node", node)).aggregate(
        total=Count("id", filter=~Q(status="cancelled")),
        crowdfunding=Count("id", filter=Q(crowdfunding_target__isnull=False) & ~Q(status="cancelled")),
        completed=Count("id", filter=Q(status__in=("completed", "evaluated")) & _window("completed_at", start, end)),
    )
    claims = Claim.objects.filter(_in("project__grid_node", node)).aggregate(
        total=Count("id", filter=~Q(status="rejected") & _window("claimed_at", start, end)),
        completed=Count("id", filter=Q(status__in=("completed", "evaluated")) & _window("completed_at", start, end)),
    )
    pledged = Pledge.objects.filter(_in("project__grid_node", node)).aggregate(s=Sum("amount"))["s"] or Decimal(0)
    total_needs = needs["total"]
    return {
        "resources": resources,
        "needs": total_needs,
        "needs_covered": needs["covered"],
        "coverage": round(100 * needs["covered"] / total_needs, 1) if total_needs else 0,
        "projects": projects["total"],
        "crowdfunding_projects": projects["crowdfunding"],
        "projects_completed": projects["completed"],
        "claims": claims["total"],
        "claims_completed": claims["completed"],
        "pledged": pledged,
    }


def orders_figures(node, start=None, end=None) -> dict:
    """Orders submitted in the period by status and by category: 2 queries."""

    base = Order.objects.filter(_in("grid_node", node), _window("submitted_at", start, end))
    by_status = dict(base.values_list("status").annotate(n=Count("id")).order_by())
    by_category = [
        {"label": name or "—", "count": n}
        for name, n in base.annotate(top=Coalesce("category__parent__name", "category__name"))
        .values_list("top")
        .annotate(n=Count("id"))
        .order_by("-n", "top")
    ]
    return {
        "by_status": _choices(Order.Status.choices, by_status),
        "by_category": by_category,
        "total": sum(by_status.values()),
    }


def issues_figures(node, start=None, end=None) -> dict:
    """Issues reported in the period by status, and their satisfaction 1–5: 2 queries."""

    base = Issue.objects.filter(_in("grid_node", node), _window("reported_at", start, end))
    by_status = dict(base.values_list("status").annotate(n=Count("id")).order_by())
    ratings = dict(base.filter(rating__isnull=False).values_list("rating").annotate(n=Count("id")).order_by())
    rated = sum(ratings.values())
    average = sum(k * v for k, v in ratings.items()) / rated if rated else None
    return {
        "by_status": _choices(Issue.Status.choices, by_status),
        "total": sum(by_status.values()),
        "satisfaction": [
            {"label": ngettext("%(n)s星", "%(n)s星", k) % {"n": k}, "count": ratings.get(k, 0)} for k in range(1, 6)
        ],
        "rated": rated,
        "satisfaction_avg": round(average, 2) if average is not None else None,
        "satisfied_share": round(100 * (ratings.get(4, 0) + ratings.get(5, 0)) / rated, 1) if rated else None,
    }


def committee_figures(node, start=None, end=None) -> dict:
    """Meetings held and matters resolved in the period by committees in the subtree: 2 queries."""

    meetings = Meeting.objects.filter(
        _in("committee__grid_node", node), _window("held_at", start, end), status=Meeting.Status.HELD
    ).count()
    matters = Matter.objects.filter(
        _in("committee__grid_node", node), _window("resolved_at", start, end), status=Matter.Status.RESOLVED
    ).count()
    return {"meetings_held": meetings, "matters_resolved": matters}


def points_top10(street, year: int, month: int) -> dict:
    """The street's TOP10 of the month: frozen if published, else live: 2–3 queries (one street)."""
    return rankings.top10(street_ids=[street.pk], year=year, month=month)[street.pk]


def period_top10(street, start, end, node=None) -> dict:
    """The live TOP10 of a period among the members of ``node``'s subtree (the street's by default): 1 query;
    the dashboard's figure, never frozen."""
    rows = rankings.period_ranking(street_id=street.pk, start=start, end=end, limit=10, node=node or street)
    return {"published": False, "rows": rows}


# --- the public figures page ---------------------------------------------------------------------


def public_figures(*, street, year: int, today=None) -> dict:
    """The public statistics of a street for a year: 20 queries whatever the data (pinned in a test)."""
    today = today or timezone.localdate()
    start, end = year_bounds(year)
    month_year, month = (year, 12) if year < today.year else (today.year, today.month)
    return {
        "units_by_kind": units_by_kind(street),  # 1
        "seats": committee_seats(street, today),  # 1
        "alliance": alliance_members(street, today),  # 2
        "lists": lists_figures(street, start, end),  # 5
        "orders": orders_figures(street, start, end),  # 2
        "issues": issues_figures(street, start, end),  # 2
        "committee": committee_figures(street, start, end),  # 2
        "monthly_committee": monthly_committee(street, year),  # 2
        "top10": points_top10(street, month_year, month),  # 3
        "top10_month": _("%(year)s年%(month)s月") % {"year": month_year, "month": month},
    }


def monthly_committee(node, year: int) -> list[dict]:
    """Meetings held and matters resolved per month of the year: 2 queries."""

    def per_month(queryset, stamp: str) -> dict[int, int]:
        rows = queryset.filter(**{f"{stamp}__year": year}).annotate(m=ExtractMonth(stamp)).values_list("m")
        return dict(rows.annotate(n=Count("id")).order_by())

    in_node = _in("committee__grid_node", node)
    meetings = per_month(Meeting.objects.filter(in_node, status=Meeting.Status.HELD), "held_at")
    matters = per_month(Matter.objects.filter(in_node, status=Matter.Status.RESOLVED), "resolved_at")
    return [
        {
            "label": _("%(month)s月") % {"month": m},
            "meetings_held": meetings.get(m, 0),
            "matters_resolved": matters.get(m, 0),
        }
        for m in range(1, 13)
    ]


# --- the admin dashboard ---------------------------------------------------------------------------


def _median_hours(pairs) -> float | None:
    values = [(b - a).total_seconds() / 3600 for a, b in pairs if a and b and b >= a]
    return round(statistics.median(values), 1) if values else None


def order_step_medians(node, start=None, end=None) -> list[dict]:
    """Median hours of each step of the order loop, from one query of timestamps."""

    rows = list(
        Order.objects.filter(_in("grid_node", node), _window("submitted_at", start, end)).values_list(
            "submitted_at", "accepted_at", "delivered_at", "rated_at", "served_at"
        )
    )
    # 送达 is the community's confirmation (delivered_at); 服务 is the unit's mark (served_at).
    return [
        {"label": _("点单→接单"), "hours": _median_hours((r[0], r[1]) for r in rows)},
        {"label": _("接单→送达"), "hours": _median_hours((r[1], r[2]) for r in rows)},
        {"label": _("送达→评价"), "hours": _median_hours((r[2], r[3]) for r in rows)},
        {"label": _("点单→送达（全程）"), "hours": _median_hours((r[0], r[2]) for r in rows)},
        {"label": _("服务→社区确认送达"), "hours": _median_hours((r[4], r[2]) for r in rows)},
    ]


ISSUE_STEPS = ("discovered", "consulting", "handling", "feedback", "evaluated")


def issue_step_medians(node, start=None, end=None) -> list[dict]:
    """Median hours spent in each step of the issue loop, from one query of the issues' events.

    A step lasts from the event that entered it to the next event that moved the issue on.
    """

    labels = dict(Issue.Status.choices)
    events = (
        IssueEvent.objects.filter(_in("issue__grid_node", node), _window("issue__reported_at", start, end))
        .values_list("issue_id", "status", "at")
        .order_by("issue_id", "at", "id")
    )
    durations: dict[str, list] = {s: [] for s in ISSUE_STEPS[:-1]}
    previous = None
    for issue_id, status, at in events:
        if previous and previous[0] == issue_id and previous[1] != status and previous[1] in durations:
            durations[previous[1]].append((previous[2], at))
        if previous is None or previous[0] != issue_id or previous[1] != status:
            previous = (issue_id, status, at)
    return [
        {"label": _("%(step)s环节") % {"step": labels[s]}, "hours": _median_hours(durations[s])}
        for s in ISSUE_STEPS[:-1]
    ]


def satisfaction_over_time(node, start=None, end=None) -> list[dict]:
    """Average rating of orders and issues per month of the period: 2 queries."""

    def monthly(qs, field):
        return {
            timezone.localtime(r["m"]).strftime("%Y-%m") if hasattr(r["m"], "hour") else r["m"].strftime("%Y-%m"): r
            for r in qs.filter(_window(field, start, end), rating__isnull=False)
            .annotate(m=TruncMonth(field))
            .values("m")
            .annotate(avg=Avg("rating"), n=Count("id"))
            .order_by()
        }

    orders = monthly(Order.objects.filter(_in("grid_node", node)), "rated_at")
    issues = monthly(Issue.objects.filter(_in("grid_node", node)), "rated_at")
    return [
        {
            "label": month,
            "orders_avg": round(orders[month]["avg"], 2) if month in orders else None,
            "issues_avg": round(issues[month]["avg"], 2) if month in issues else None,
        }
        for month in sorted(set(orders) | set(issues))
    ]


def claims_per_unit(node, start=None, end=None, limit: int = 20) -> list[dict]:
    """Units with the most claims in the period and their completed ones: 1 query."""

    return [
        {"label": r["unit__name"], "claims": r["n"], "completed": r["done"]}
        for r in Claim.objects.filter(
            _in("project__grid_node", node), _window("claimed_at", start, end), unit__isnull=False
        )
        .exclude(status="rejected")
        .values("unit__name")
        .annotate(n=Count("id"), done=Count("id", filter=Q(status__in=("completed", "evaluated"))))
        .order_by("-n", "-done", "unit__name")[:limit]
    ]


def dashboard_figures(*, node, start, end, today=None) -> dict:
    """The admin dashboard of a subtree for a period: 18 queries whatever the period (pinned)."""

    today = today or timezone.localdate()
    street = None
    if node is not None:
        street = node if node.level == GridNode.Level.STREET else GridNode(pk=node.street_id)
    return {
        "orders": orders_figures(node, start, end),  # 2
        "order_steps": order_step_medians(node, start, end),  # 1
        "issues": issues_figures(node, start, end),  # 2
        "issue_steps": issue_step_medians(node, start, end),  # 1
        "satisfaction": satisfaction_over_time(node, start, end),  # 2
        "claims_per_unit": claims_per_unit(node, start, end),  # 1
        "lists": lists_figures(node, start, end),  # 5
        "committee": committee_figures(node, start, end),  # 2
        "top10": period_top10(street, start, end, node=node) if street else None,  # 1
        "top10_month": _("%(start)s 至 %(end)s") % {"start": f"{start:%Y-%m-%d}", "end": f"{end:%Y-%m-%d}"},
    }
