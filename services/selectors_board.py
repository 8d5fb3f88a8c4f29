"""Reads of the public issue board (说事墙): what anyone may see of a public issue, and nothing more.

A public issue shows its title, text, place (grid, location text, map point), its stage in residents' words,
when it was reported, how long it took (or has been open) and how many said “同样遇到”. Never the reporter,
a phone, the handlers or the replies; no photos either (a photo may show a face, a plate or a door number
nobody has checked). Each function runs a fixed number of queries whatever the number of rows.

Similar issues for a new report: public issues still being handled in the same community, or within
``NEAR_M`` metres of the picked point, whose titles share enough Chinese character bigrams (Dice coefficient,
``projects.scoring``; PostgreSQL's pg_trgm is not installed here, and trigrams of Chinese titles of 4–10
characters say less than bigrams).
"""

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.core.feeds import FeedItem, Topic
from alliance.core.waiting import span
from grids import geo
from grids.models import GridNode
from projects.scoring import bigrams, similarity
from services.models import Issue, IssueEvent
from services.phases import ISSUE_PHASES, statuses_of

# “同样遇到” is for problems still being handled: once the result is given there is nothing to join.
ME_TOO_OPEN = (Issue.Status.DISCOVERED, Issue.Status.CONSULTING, Issue.Status.HANDLING)
NEAR_M = 300  # "nearby": within this many metres of the picked point
MIN_SIMILARITY = 0.25  # Dice of title bigrams: 「路灯不亮」 ~ 「3号楼路灯不亮了」 ≈ 0.6, unrelated titles 0
MAX_CANDIDATES = 200  # public open issues compared per request (one query, bounded)
MAX_SIMILAR = 5
# The fields a public row reads: nothing of the reporter, the phone, the handler or the rating comment.
# (``reporter`` is loaded for the "not on one's own issue" check only, never shown.)
PUBLIC_FIELDS = (
    "title",
    "is_public",
    "reporter",
    "text",
    "status",
    "location",
    "lat",
    "lng",
    "reported_at",
    "published_at",
    "grid_node__name",
    "grid_node__level",
    "grid_node__parent",
    "grid_node__parent__name",
    "grid_node__center_lat",
    "grid_node__center_lng",
)


def _outcome_at():
    """When the result was last given (the latest move to feedback): the end of "how long it took"."""
    return Subquery(
        IssueEvent.objects.filter(issue=OuterRef("pk"), kind=IssueEvent.Kind.MOVED, status=Issue.Status.FEEDBACK)
        .order_by("-at", "-pk")
        .values("at")[:1]
    )


def public_issues() -> QuerySet:
    """Every public issue with its “同样遇到” count and the time of its result: one query."""
    return (
        Issue.objects.filter(is_public=True)
        .select_related("grid_node", "grid_node__parent")
        .only(*PUBLIC_FIELDS)
        .annotate(me_too_count=Count("me_toos", distinct=True), outcome_at=_outcome_at())
        .order_by("-reported_at", "-pk")
    )


def board(*, community: GridNode | None = None, micro_grid: GridNode | None = None, stage: str = "") -> QuerySet:
    """The board's rows, within a community or micro-grid, in one phase (ISSUE_PHASES' keys)."""
    rows = public_issues()
    node = micro_grid or community
    if node is not None:
        rows = rows.filter(grid_node__path__startswith=node.path)
    if stage:
        rows = rows.filter(status__in=statuses_of(ISSUE_PHASES, stage))
    return rows


def took(issue, now: datetime.datetime | None = None) -> str:
    """How long it took, in words: 「用时2天3小时」 once the result was given, 「已等待5小时」 while open."""
    outcome = getattr(issue, "outcome_at", None)
    if issue.status in (Issue.Status.FEEDBACK, Issue.Status.EVALUATED) and outcome is not None:
        return _("用时%(span)s") % {"span": span(outcome - issue.reported_at)}
    return _("已等待%(span)s") % {"span": span((now or timezone.now()) - issue.reported_at)}


def community_name(issue) -> str:
    node = issue.grid_node
    return node.parent.name if node.level == GridNode.Level.MICRO and node.parent_id else node.name


def public_timeline(issue: Issue) -> QuerySet:
    """The steps of a public issue with their dates: only the kind, the stage and the time (no names, no
    replies; taking down is staff's business, not the board's)."""
    return (
        IssueEvent.objects.filter(issue=issue)
        .exclude(kind=IssueEvent.Kind.TAKEN_DOWN)
        .only("kind", "status", "at", "issue_id")
        .order_by("at", "pk")
    )


def has_me_too(user, issue) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and issue.me_toos.filter(person=user).exists()


@dataclass(frozen=True)
class Similar:
    issue: Issue
    score: float
    distance_m: int | None
    reason: str


def _box(lat: Decimal, lng: Decimal, metres: int) -> Q:
    """The bounding box of a circle (a cheap SQL filter before the exact distance)."""
    dlat = metres / 111_320
    dlng = metres / (111_320 * max(math.cos(math.radians(float(lat))), 0.01))
    return Q(
        lat__gte=float(lat) - dlat, lat__lte=float(lat) + dlat, lng__gte=float(lng) - dlng, lng__lte=float(lng) + dlng
    )


def similar_issues(
    *, title: str, grid_node: GridNode | None = None, lat=None, lng=None, exclude_reporter=None
) -> list[Similar]:
    """Public issues still being handled that look like the new report: in the same community (the grid
    given) or within ``NEAR_M`` metres of the point, with a similar title. One query."""
    grams = bigrams(title or "")
    if not grams or (grid_node is None and (lat is None or lng is None)):
        return []
    area = Q()
    if grid_node is not None:
        community = grid_node.parent if grid_node.level == GridNode.Level.MICRO else grid_node
        if community is not None and community.level >= GridNode.Level.COMMUNITY:
            area |= Q(grid_node__path__startswith=community.path)
    if lat is not None and lng is not None:
        area |= _box(lat, lng, NEAR_M)
    if not area:
        return []
    candidates = public_issues().filter(area, status__in=ME_TOO_OPEN)
    if exclude_reporter is not None and getattr(exclude_reporter, "pk", None):
        candidates = candidates.exclude(reporter_id=exclude_reporter.pk)
    found = []
    for issue in candidates[:MAX_CANDIDATES]:
        score = similarity(grams, bigrams(issue.title))
        if score < MIN_SIMILARITY:
            continue
        metres = None
        if lat is not None and lng is not None and issue.lat is not None and issue.lng is not None:
            metres = round(geo.distance_m(lat, lng, issue.lat, issue.lng))
        if metres is not None and metres <= NEAR_M:
            reason = _("相距约%(m)s米") % {"m": metres}
        elif grid_node is not None and issue.grid_node_id == grid_node.pk:
            reason = _("同一网格")
        else:
            reason = _("同一社区")
        found.append(Similar(issue, score, metres, reason))
    found.sort(key=lambda s: (-s.score, s.distance_m if s.distance_m is not None else 10**9, -s.issue.pk))
    return found[:MAX_SIMILAR]


# --- the feed (alliance.core.feeds, topic ISSUES) ------------------------------------------------------------


def _in_subtrees(nodes, path: str) -> Q:
    q = Q()
    for node in nodes:
        q |= Q(**{f"{path}path__startswith": node.path})
    return q


def feed_items(nodes, since, until, limit: int) -> list[FeedItem]:
    """Issues made public, and the results of public issues, in ``[since, until)`` within ``nodes``' subtrees:
    two queries. Titles and places only (never who reported, handled or replied)."""
    if not nodes:
        return []
    where = _in_subtrees(nodes, "grid_node__")
    published = (
        Issue.objects.filter(where, is_public=True, published_at__gte=since, published_at__lt=until)
        .select_related("grid_node")
        .only("title", "location", "published_at", "grid_node__name")
        .order_by("-published_at", "-pk")[:limit]
    )
    items = [
        FeedItem(
            topic=Topic.ISSUES,
            key=f"issue:{i.pk}:public",
            title=_("居民说事：%(title)s") % {"title": i.title},
            summary=_("%(place)s，已受理。") % {"place": i.grid_node.name + (f"·{i.location}" if i.location else "")},
            url=reverse("services:board_issue", args=[i.pk]),
            at=i.published_at,
            area=i.grid_node.name,
        )
        for i in published
        if i.published_at is not None  # always set on a public issue (the filter above); for the type checker
    ]
    outcomes = (
        IssueEvent.objects.filter(
            _in_subtrees(nodes, "issue__grid_node__"),
            issue__is_public=True,
            kind=IssueEvent.Kind.MOVED,
            status=Issue.Status.FEEDBACK,
            at__gte=since,
            at__lt=until,
        )
        .select_related("issue", "issue__grid_node")
        .only("at", "issue__title", "issue__reported_at", "issue__grid_node__name")
        .order_by("-at", "-pk")[:limit]
    )
    items += [
        FeedItem(
            topic=Topic.ISSUES,
            key=f"issue:{e.issue_id}:outcome:{e.pk}",
            title=_("已有处理结果：%(title)s") % {"title": e.issue.title},
            summary=_("%(place)s，用时%(span)s。")
            % {"place": e.issue.grid_node.name, "span": span(e.at - e.issue.reported_at)},
            url=reverse("services:board_issue", args=[e.issue_id]),
            at=e.at,
            area=e.issue.grid_node.name,
        )
        for e in outcomes
    ]
    return sorted(items, key=lambda item: item.at, reverse=True)[:limit]


# --- the map (services.maps, layer "public_issues") ---------------------------------------------------------


def map_rows(node: GridNode | None, cap: int) -> list:
    rows = public_issues()
    if node is not None:
        rows = rows.filter(grid_node__path__startswith=node.path)
    return list(rows[: cap + 1])
