"""Non-trivial reads of the alliance app."""

from django.db.models import Case, Count, F, Prefetch, Q, When
from django.db.models.functions import TruncMonth, TruncQuarter, TruncYear
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alliance.committee.models import ChairRotation, Committee, Matter, Meeting, Milestone, Seat
from alliance.core.cache import get_or_build
from alliance.core.scoping import scope_queryset
from grids.models import GridNode
from members.models import MemberUnit, PartyMember


def home_figures() -> dict:
    """The live figures of the alliance for the home page, in a fixed number of queries."""
    # 1: grid nodes counted by street and level
    rows = GridNode.objects.values("street_id", "level").annotate(n=Count("id")).order_by()
    by_street: dict[int, dict[int, int]] = {}
    for row in rows:
        by_street.setdefault(row["street_id"], {})[row["level"]] = row["n"]
    # 2: the streets themselves
    streets = list(GridNode.objects.streets().only("id", "name", "code", "description").order_by("sort_order", "id"))
    # 3: active units by kind
    kinds = dict(
        MemberUnit.objects.filter(status=MemberUnit.Status.ACTIVE)
        .values_list("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    # 4: active units by street
    units_by_street = dict(
        MemberUnit.objects.filter(status=MemberUnit.Status.ACTIVE)
        .values_list("grid_node__street_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    # 5: party members by street
    members_by_street = dict(
        PartyMember.objects.filter(is_active=True)
        .values_list("community__street_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    street_cards = [
        {
            "node": street,
            "communities": by_street.get(street.id, {}).get(2, 0),
            "micro_grids": by_street.get(street.id, {}).get(3, 0),
            "units": units_by_street.get(street.id, 0),
            "party_members": members_by_street.get(street.id, 0),
        }
        for street in streets
    ]
    units_by_kind = [{"kind": kind, "label": kind.label, "count": kinds.get(kind.value, 0)} for kind in MemberUnit.Kind]
    return {
        "streets": len(streets),
        "communities": sum(card["communities"] for card in street_cards),
        "micro_grids": sum(card["micro_grids"] for card in street_cards),
        "units": sum(kinds.values()),
        "units_by_kind": units_by_kind,
        "party_members": sum(members_by_street.values()),
        "street_cards": street_cards,
    }


# The home page's figures are the same for every visitor: cached under the versions of what they count
# (alliance.core.cache), so a change shows on the next request. When the cache is down they are computed live.
HOME_FIGURES_TTL = 300
HOME_GROUPS = ("grid", "units", "news")


def cached_home_figures() -> dict:
    return get_or_build("home_figures", HOME_GROUPS, home_figures, ttl=HOME_FIGURES_TTL)


# --- the joint committee -----------------------------------------------------------------------

COMMITTEE_ORDER = {"district_joint": 0, "street_joint": 0, "professional": 1, "community_party": 2}


def _current_rotations(today):
    return ChairRotation.objects.filter(starts_on__lte=today, ends_on__gte=today).select_related("unit")


def _current_seats(today):
    return (
        Seat.objects.filter(term_start__lte=today)
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=today))
        .select_related("unit")
        .annotate(role_rank=Case(When(role="secretary", then=0), When(role="full_time", then=1), default=2))
        .order_by("role_rank", "sort_order", "id")
    )


def committees_with_members(queryset=None, today=None):
    """Committees with their current seats and current chair, in three queries.

    1: the committees with their grid node; 2: current seats with units; 3: current rotations with units.
    """
    today = today or timezone.localdate()
    queryset = Committee.objects.all() if queryset is None else queryset
    committees = list(
        queryset.select_related("grid_node").prefetch_related(
            Prefetch("seats", queryset=_current_seats(today), to_attr="current_seats"),
            Prefetch("rotations", queryset=_current_rotations(today), to_attr="current_rotations"),
        )
    )
    for committee in committees:
        committee.current_chair = committee.current_rotations[0].unit if committee.current_rotations else None
        committee.full_time = [s for s in committee.current_seats if s.role != "part_time"]
        committee.part_time = [s for s in committee.current_seats if s.role == "part_time"]
    return committees


def alliance_overview(today=None) -> list[dict]:
    """Each street with its joint committee(s), professional committees and community big party committees."""
    committees = committees_with_members(today=today)
    streets: dict[int, dict] = {}

    # The district's committees (no grid node) come first, as the district's own entry (0).
    def street_of(c) -> int:
        return (c.grid_node.street_id or c.grid_node_id) if c.grid_node_id else 0

    for committee in sorted(
        committees,
        key=lambda c: (street_of(c), COMMITTEE_ORDER[c.kind], c.grid_node.path if c.grid_node_id else "", c.id),
    ):
        entry = streets.setdefault(street_of(committee), {"joint": [], "professional": [], "community": []})
        joint = committee.kind in ("street_joint", "district_joint")
        key = "joint" if joint else {"professional": "professional", "community_party": "community"}[committee.kind]
        entry[key].append(committee)
    return list(streets.values())


def public_meetings(*, committee=None, year=None, month=None, status=None):
    """Meetings for the public calendar: public fields only, with the committee."""
    qs = Meeting.objects.select_related("committee").only(
        "id",
        "title",
        "kind",
        "summary",
        "starts_at",
        "ends_at",
        "place",
        "status",
        "committee__id",
        "committee__name",
        "committee__kind",
    )
    if committee is not None:
        qs = qs.filter(committee=committee)
    if year:
        qs = qs.filter(starts_at__year=year)
    if month:
        qs = qs.filter(starts_at__month=month)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-starts_at", "-id")


def public_matters(*, year=None, committee=None):
    """Matters resolved in the year, with their follow-up milestones (two queries)."""
    year = year or timezone.localdate().year
    qs = (
        Matter.objects.filter(status=Matter.Status.RESOLVED, resolved_at__year=year)
        .select_related("committee", "raised_by_unit")
        .prefetch_related(
            Prefetch(
                "milestones",
                queryset=Milestone.objects.select_related("owner", "owner_unit").order_by("sort_order", "id"),
            )
        )
        .order_by("-resolved_at", "-id")
    )
    if committee is not None:
        qs = qs.filter(committee=committee)
    return qs


PERIODS = {"year": _("年"), "quarter": _("季度"), "month": _("月")}


def period_label(period: str, start) -> str:
    if period == "year":
        return gettext("%(year)s年") % {"year": start.year}
    if period == "quarter":
        return gettext("%(year)s年第%(quarter)s季度") % {"year": start.year, "quarter": (start.month - 1) // 3 + 1}
    return gettext("%(year)s年%(month)s月") % {"year": start.year, "month": start.month}


def committee_statistics(*, period: str = "year", year: int | None = None, committee_ids=None) -> list[dict]:
    """Meetings held and matters raised, studied, resolved and deferred, by period and committee.

    Each figure counts the events of the period: a matter raised in March and resolved in May counts
    as raised in March and resolved in May. Six queries whatever the size: one per figure, one for
    the committees' names.
    """
    if period not in PERIODS:
        period = "year"
    trunc = {"year": TruncYear, "quarter": TruncQuarter, "month": TruncMonth}[period]
    figures = {
        "meetings_held": (Meeting.objects.filter(status=Meeting.Status.HELD), "held_at"),
        "matters_raised": (Matter.objects.all(), "created_at"),
        "matters_studied": (Matter.objects.all(), "studied_at"),
        "matters_resolved": (Matter.objects.all(), "resolved_at"),
        "matters_deferred": (Matter.objects.all(), "deferred_at"),
    }
    rows: dict[tuple, dict] = {}
    for name, (qs, field) in figures.items():
        qs = qs.filter(**{f"{field}__isnull": False})
        if year:
            qs = qs.filter(**{f"{field}__year": year})
        if committee_ids is not None:
            qs = qs.filter(committee_id__in=committee_ids)
        counted = qs.annotate(bucket=trunc(field)).values("bucket", "committee_id").annotate(n=Count("id")).order_by()
        for row in counted:
            bucket = timezone.localtime(row["bucket"]).date() if hasattr(row["bucket"], "hour") else row["bucket"]
            entry = rows.setdefault((bucket, row["committee_id"]), dict.fromkeys(figures, 0))
            entry[name] = row["n"]
    names = dict(Committee.objects.filter(id__in={c for _, c in rows}).values_list("id", "name"))
    return [
        {
            "period": period_label(period, bucket),
            "start": bucket,
            "committee_id": cid,
            "committee": names.get(cid, ""),
            **f,
        }
        for (bucket, cid), f in sorted(rows.items(), key=lambda item: (item[0][0], names.get(item[0][1], "")))
    ]


STAT_COLUMNS = (
    ("period", _("统计期")),
    ("committee", _("委员会")),
    ("meetings_held", _("召开会议")),
    ("matters_raised", _("提出议题")),
    ("matters_studied", _("研究议题")),
    ("matters_resolved", _("议决议题")),
    ("matters_deferred", _("暂缓议题")),
)


def answerable_invitations_q(user) -> Q:
    """The invitations a user answers: their own seat's and, for a unit operator, their unit's."""
    q = Q(seat__user=user)
    if user.role == user.Role.UNIT_OPERATOR and user.unit_id:
        q |= Q(unit_id=user.unit_id) | Q(seat__unit_id=user.unit_id)
    return q


def chair_on(committee, day):
    """The unit chairing the committee on that day, or None (one query)."""
    rotation = (
        ChairRotation.objects.filter(committee=committee, starts_on__lte=day, ends_on__gte=day)
        .select_related("unit")
        .first()
    )
    return rotation.unit if rotation else None


# --- 督办: the follow-up of resolved matters, on time or late ----------------------------------------


def overdue_q(today) -> Q:
    """An overdue milestone: of a resolved matter, due before ``today`` (Beijing time) and not done."""
    return Q(matter__status=Matter.Status.RESOLVED, done_on__isnull=True, due_on__lt=today)


def overdue_milestones(user, today=None):
    """The overdue milestones a user answers for, most late first, with their matter, committee and owner (one
    query): staff see those in their subtree, anyone else those they own."""
    today = today or timezone.localdate()
    qs = Milestone.objects.filter(overdue_q(today)).select_related("matter__committee", "owner", "owner_unit")
    if user.is_staff_role:
        qs = scope_queryset(qs, user)
    else:
        qs = qs.filter(owner_id=user.pk) if user.is_authenticated else qs.none()
    return qs.order_by("due_on", "id")


def follow_up_summary(committee_ids, today=None) -> dict:
    """What is on time and what is late in the follow-up of the committees' resolved matters (two queries):
    counts of milestones open and on time, open and late, done on time and done late, and the late open
    ones with their days late, most late first."""
    today = today or timezone.localdate()
    resolved = Milestone.objects.filter(matter__status=Matter.Status.RESOLVED, matter__committee_id__in=committee_ids)
    late_open = overdue_q(today)
    done_late = Q(done_on__isnull=False, due_on__isnull=False, done_on__gt=F("due_on"))
    # 1: the four counts
    counts = resolved.aggregate(
        open_on_time=Count("id", filter=Q(done_on__isnull=True) & ~Q(due_on__lt=today, due_on__isnull=False)),
        open_late=Count("id", filter=late_open),
        done_on_time=Count("id", filter=Q(done_on__isnull=False) & ~done_late),
        done_late=Count("id", filter=done_late),
    )
    # 2: the late open milestones
    late = list(
        resolved.filter(late_open).select_related("matter", "owner", "owner_unit").order_by("due_on", "id")[:200]
    )
    for milestone in late:
        milestone.late_days = milestone.days_late(today)  # type: ignore[attr-defined]  # shown beside it
    counts["on_time"] = counts["open_on_time"] + counts["done_on_time"]
    counts["late"] = counts["open_late"] + counts["done_late"]
    return {"counts": counts, "late": late, "today": today}
