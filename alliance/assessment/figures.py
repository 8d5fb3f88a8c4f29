"""What the platform recorded for an assessment period, counted per unit, per station and per grid node.

Each indicator is one aggregate query over the whole street (``values(...).annotate(...)``), whatever the number of
subjects: claims, orders, meeting invitations, issues and activities. Node figures are counted per grid node and
summed up the tree in Python (``rollup``), so a community's joint-duty team counts what happened in its micro-grids.

"Closed in time" (按时办结): an issue reported in the period that reached feedback or evaluation and was never
escalated by the time-limit job (``IssueEvent.Kind.AUTO_ESCALATED``, sent when ``services.deadlines.issue_deadline``
passed).
"""

import datetime
from collections import Counter
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from alliance.committee.models import Invitation, Meeting
from alliance.surveys.selectors import poll_tallies
from grids.models import GridNode, Team
from members.models import MemberUnit
from projects.models import Claim
from services.models import Activity, Issue, IssueEvent, Order, ServiceStation

CLAIM_DONE = (Claim.Status.COMPLETED, Claim.Status.EVALUATED)
ISSUE_CLOSED = (Issue.Status.FEEDBACK, Issue.Status.EVALUATED)

Tally = Counter  # figure name → count or sum


def bounds(first: datetime.date, last: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The period from ``first`` to ``last`` (inclusive) in local time, as [start, end)."""
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min))
    return start, end


def year_bounds(year: int):
    return bounds(datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def quarter_bounds(year: int, quarter: int):
    first = datetime.date(year, 3 * quarter - 2, 1)
    last = datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, 3 * quarter + 1, 1)
    return bounds(first, last - datetime.timedelta(days=1))


def average(total, count) -> Decimal | None:
    return (Decimal(total) / count).quantize(Decimal("0.01")) if count else None


def _window(field: str, period) -> dict:
    return {f"{field}__gte": period[0], f"{field}__lt": period[1]}


def _into(tallies: dict, rows, key: str, names: dict[str, str]) -> None:
    for row in rows:
        if row[key] is None:
            continue
        tally = tallies.setdefault(row[key], Tally())
        for source, name in names.items():
            tally[name] += row[source] or 0


def _claims(qs, key: str, period, tallies: dict) -> None:
    rows = (
        qs.filter(status__in=CLAIM_DONE, **_window("completed_at", period))
        .values(key)
        .annotate(n=Count("id"), rated=Count("rating"), rating_sum=Sum("rating"))
        .order_by()
    )
    _into(tallies, rows, key, {"n": "claims_done", "rated": "claims_rated", "rating_sum": "claims_rating_sum"})


def _orders(qs, key: str, period, tallies: dict) -> None:
    rows = (
        qs.filter(delivered_at__isnull=False, **_window("delivered_at", period))
        .values(key)
        .annotate(n=Count("id"), rated=Count("rating"), rating_sum=Sum("rating"))
        .order_by()
    )
    _into(tallies, rows, key, {"n": "orders_delivered", "rated": "orders_rated", "rating_sum": "orders_rating_sum"})


def _invitations(qs, key: str, period, tallies: dict) -> None:
    rows = (
        qs.filter(meeting__status=Meeting.Status.HELD, **_window("meeting__starts_at", period))
        .values(key)
        .annotate(n=Count("id"), attended=Count("id", filter=Q(checked_in=True)))
        .order_by()
    )
    _into(tallies, rows, key, {"n": "invited", "attended": "attended"})


def unit_tallies(street: GridNode, period) -> dict[int, Tally]:
    """Per member unit: claims completed, orders delivered, meeting attendance (three queries)."""
    tallies: dict[int, Tally] = {}
    in_street = street.path
    _claims(Claim.objects.filter(unit__grid_node__path__startswith=in_street), "unit_id", period, tallies)
    _orders(Order.objects.filter(unit__grid_node__path__startswith=in_street), "unit_id", period, tallies)
    # A seat's invitation counts for the seat's unit, a unit's invitation for the unit.
    invitations = Invitation.objects.annotate(invited_unit=Coalesce("unit_id", "seat__unit_id")).filter(
        Q(unit__grid_node__path__startswith=in_street) | Q(seat__unit__grid_node__path__startswith=in_street)
    )
    _invitations(invitations, "invited_unit", period, tallies)
    return tallies


def node_tallies(street: GridNode, period) -> dict[int, Tally]:
    """Per grid node of the street, what happened there: claims of its projects, orders delivered, attendance at
    its committees' meetings, issues and their ratings, activities (five queries)."""
    tallies: dict[int, Tally] = {}
    in_street = street.path
    _claims(
        Claim.objects.filter(project__grid_node__path__startswith=in_street), "project__grid_node_id", period, tallies
    )
    _orders(Order.objects.filter(grid_node__path__startswith=in_street), "grid_node_id", period, tallies)
    _invitations(
        Invitation.objects.filter(meeting__committee__grid_node__path__startswith=in_street),
        "meeting__committee__grid_node_id",
        period,
        tallies,
    )
    escalated = IssueEvent.objects.filter(issue=OuterRef("pk"), kind=IssueEvent.Kind.AUTO_ESCALATED)
    issues = (
        Issue.objects.filter(grid_node__path__startswith=in_street, **_window("reported_at", period))
        .annotate(late=Exists(escalated))
        .values("grid_node_id")
        .annotate(
            n=Count("id"),
            in_time=Count("id", filter=Q(status__in=ISSUE_CLOSED, late=False)),
            rated=Count("rating"),
            rating_sum=Sum("rating"),
        )
        .order_by()
    )
    names = {
        "n": "issues_reported",
        "in_time": "issues_in_time",
        "rated": "issues_rated",
        "rating_sum": "issues_rating_sum",
    }
    _into(tallies, issues, "grid_node_id", names)
    activities = (
        Activity.objects.filter(grid_node__path__startswith=in_street, **_window("starts_at", period))
        .exclude(status=Activity.Status.CANCELLED)
        .values("grid_node_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    _into(tallies, activities, "grid_node_id", {"n": "activities"})
    return tallies


def station_tallies(street: GridNode, period) -> dict[int, Tally]:
    """Per service station: the orders of its menu delivered in the period (one query)."""
    tallies: dict[int, Tally] = {}
    orders = Order.objects.filter(menu_item__provider_station__grid_node__path__startswith=street.path)
    _orders(orders, "menu_item__provider_station_id", period, tallies)
    return tallies


def poll_figures(street: GridNode, year: int, period) -> tuple[dict[int, Tally], dict[int, Tally]]:
    """Per unit and per station: the scale answers of the satisfaction polls (满意度测评) of the year, as
    ``polls_rated`` and ``polls_rating_sum`` on a five-point scale (one query, alliance.surveys' selector)."""
    found = poll_tallies(street.path, year, period)

    def tallies(rows) -> dict[int, Tally]:
        return {pk: Tally(polls_rated=n, polls_rating_sum=total) for pk, (n, total) in rows.items()}

    return tallies(found["unit"]), tallies(found["station"])


def street_nodes(street: GridNode) -> list[dict]:
    """Every node of the street: id, name, path, level (one query)."""
    return list(
        GridNode.objects.filter(path__startswith=street.path).values("id", "name", "path", "level").order_by("path")
    )


def rollup(nodes: list[dict], tallies: dict[int, Tally], path: str) -> Tally:
    """The figures of the node at ``path`` and every node below it (no query)."""
    total = Tally()
    for node in nodes:
        if node["path"].startswith(path) and node["id"] in tallies:
            total.update(tallies[node["id"]])
    return total


def units(street: GridNode) -> list[dict]:
    return list(
        MemberUnit.objects.filter(status=MemberUnit.Status.ACTIVE, grid_node__path__startswith=street.path)
        .values("id", "name", "grid_node_id")
        .order_by("name")
    )


def stations(street: GridNode) -> list[dict]:
    return list(
        ServiceStation.objects.filter(is_active=True, grid_node__path__startswith=street.path)
        .values("id", "name", "grid_node_id", "grid_node__path")
        .order_by("name")
    )


def joint_duty_teams(street: GridNode) -> list[dict]:
    return list(
        Team.objects.filter(kind=Team.Kind.JOINT_DUTY, node__path__startswith=street.path)
        .values("id", "name", "node_id", "node__name", "node__path")
        .order_by("node__path")
    )
