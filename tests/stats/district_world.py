"""A small hand-counted district for the cross-street figures: 甲街道 busy, 乙街道 a little, 丙街道 idle.

The figures every test expects are written by hand next to the rows that make them.
"""

import datetime

from django.utils import timezone

from alliance.committee.models import Committee, Matter, Meeting
from grids.models import District
from services.models import Issue, IssueEvent, Order
from tests.alliance.factories import CommitteeFactory, MatterFactory, MeetingFactory
from tests.grids.factories import CommunityFactory, StreetFactory
from tests.members.factories import MemberUnitFactory, PartyMemberFactory, ResidentFactory
from tests.points.factories import PointsEntryFactory
from tests.projects.factories import ClaimFactory, NeedFactory, ProjectFactory, ResourceFactory
from tests.services.factories import IssueFactory, MenuItemFactory, OrderFactory

YEAR = 2025
START, END = datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)


def at(month: int, day: int = 10, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(YEAR, month, day, hour))


def _street(name: str, order: int):
    """A street, its community and a unit there (every row below stays inside the street)."""
    street = StreetFactory(name=name, sort_order=order)
    community = CommunityFactory(parent=street, name=f"{name[0]}一社区")
    unit = MemberUnitFactory(grid_node=community)
    UNITS[community.pk] = (unit, MenuItemFactory(provider_unit=unit))
    return street, community


UNITS: dict = {}


def _meetings(committee, months, **extra):
    for month in months:
        MeetingFactory(committee=committee, status=Meeting.Status.HELD, held_at=at(month), starts_at=at(month), **extra)


def _order(community, *, accept=None, finish=None, rating=None):
    submitted = at(4)
    status = Order.Status.RATED if rating else (Order.Status.DELIVERED if finish else Order.Status.SUBMITTED)
    return OrderFactory(
        resident=ResidentFactory(grid_node=community),
        menu_item=UNITS[community.pk][1],
        status=status,
        submitted_at=submitted,
        accepted_at=submitted + datetime.timedelta(hours=accept) if accept is not None else None,
        delivered_at=submitted + datetime.timedelta(hours=finish) if finish is not None else None,
        rated_at=submitted + datetime.timedelta(hours=finish + 1) if rating else None,
        rating=rating,
    )


def _issue(community, *, accept, finish=None, rating=None):
    reported = at(5)
    status = Issue.Status.EVALUATED if rating else (Issue.Status.FEEDBACK if finish else Issue.Status.HANDLING)
    issue = IssueFactory(
        reporter=ResidentFactory(grid_node=community),
        status=status,
        reported_at=reported,
        step_started_at=reported,
        rating=rating,
        rated_at=reported + datetime.timedelta(hours=finish + 1) if rating else None,
    )
    steps = [("discovered", 0), ("consulting", accept), ("handling", accept + 0.5)]
    if finish is not None:
        steps.append(("feedback", finish))
    for status, hours in steps:
        IssueEvent.objects.create(
            issue=issue, kind="moved", status=status, level=1, at=reported + datetime.timedelta(hours=hours)
        )
    return issue


def _points(community, *values, year=YEAR):
    for value in values:
        member = PartyMemberFactory(community=community, unit=UNITS[community.pk][0])
        PointsEntryFactory(member=member, points=value, occurred_on=datetime.date(year, 3, 5))


def build(*, more_streets: int = 0):
    """The district; ``more_streets`` adds that many streets like 乙街道 (for the query-count tests)."""
    UNITS.clear()
    District.objects.update_or_create(pk=1, defaults={"name": "七里河区", "code": "620103"})
    a, a1 = _street("甲街道", 1)
    b, b1 = _street("乙街道", 2)
    _street("丙街道", 3)  # nothing happens in 丙街道

    # 甲: 3 joint meetings held (Jan, Feb, Feb), 2 community ones (Mar); one scheduled, one held the year before
    a_joint = CommitteeFactory(grid_node=a, kind=Committee.Kind.STREET_JOINT)
    a_comm = CommitteeFactory(grid_node=a1, kind=Committee.Kind.COMMUNITY_PARTY, name="甲一社区大党委")
    _meetings(a_joint, [1, 2, 2])
    _meetings(a_comm, [3, 3])
    MeetingFactory(committee=a_joint)  # scheduled
    MeetingFactory(
        committee=a_joint,
        status=Meeting.Status.HELD,
        held_at=at(6).replace(year=YEAR - 1),
        starts_at=at(6).replace(year=YEAR - 1),
    )
    # 2 joint matters resolved (Feb), 1 community matter (Mar), 1 still proposed
    for committee, month in ((a_joint, 2), (a_joint, 2), (a_comm, 3)):
        MatterFactory(committee=committee, status=Matter.Status.RESOLVED, resolved_at=at(month))
    MatterFactory(committee=a_joint)
    # lists: 2 resources, 1 open need (+1 closed), 2 projects, 1 claim
    ResourceFactory.create_batch(2, grid_node=a1, unit=UNITS[a1.pk][0])
    NeedFactory(grid_node=a1, status="open")
    NeedFactory(grid_node=a1, status="closed")
    project = ProjectFactory(grid_node=a1)
    ProjectFactory(grid_node=a1)
    ClaimFactory(project=project, unit=UNITS[a1.pk][0])
    from projects.models import Claim

    Claim.objects.update(claimed_at=at(2))
    # orders: accepted after 2 h and 4 h, delivered after 6 h and 10 h, rated 5 and 3; one still waiting
    _order(a1, accept=2, finish=6, rating=5)
    _order(a1, accept=4, finish=10, rating=3)
    _order(a1)
    # issues: accepted after 1 h and 3 h; one fed back after 12 h and rated 5
    _issue(a1, accept=1, finish=12, rating=5)
    _issue(a1, accept=3)
    _points(a1, 10, 5)
    _points(a1, 100, year=YEAR - 1)  # another year

    # 乙: 1 joint meeting (Mar); an order accepted after 1 h, delivered after 2 h; an issue accepted after
    # 5 h, fed back after 6 h, rated 2; 40 points
    for street, community in [(b, b1)] + [_street(f"{n}号街道", 10 + n) for n in range(more_streets)]:
        joint = CommitteeFactory(grid_node=street, kind=Committee.Kind.STREET_JOINT)
        _meetings(joint, [3])
        _order(community, accept=1, finish=2, rating=4)
        _issue(community, accept=5, finish=6, rating=2)
        _points(community, 40)


# Per street: (meetings joint, community, held), (matters joint, community), orders, medians, satisfaction, points
EXPECTED = {
    "甲街道": {
        "meetings_joint": 3,
        "meetings_community": 2,
        "meetings_held": 5,
        "matters_joint": 2,
        "matters_community": 1,
        "matters_resolved": 3,
        "resources": 2,
        "needs": 1,
        "projects": 2,
        "claims": 1,
        "orders": 3,
        "orders_done": 2,
        "order_accept_median": 3.0,
        "order_accept_avg": 3.0,
        "order_finish_median": 8.0,
        "orders_rating": 4.0,
        "issues": 2,
        "issues_done": 1,
        "issue_accept_median": 2.0,
        "issue_finish_median": 12.0,
        "satisfaction": 5.0,
        "satisfied_share": 100.0,
        "points": 15,
        "points_members": 2,
    },
    "乙街道": {
        "meetings_joint": 1,
        "meetings_community": 0,
        "meetings_held": 1,
        "matters_resolved": 0,
        "orders": 1,
        "order_accept_median": 1.0,
        "order_finish_median": 2.0,
        "issues": 1,
        "issue_accept_median": 5.0,
        "issue_finish_median": 6.0,
        "satisfaction": 2.0,
        "satisfied_share": 0.0,
        "points": 40,
    },
    "丙街道": {
        "meetings_held": 0,
        "orders": 0,
        "order_accept_median": None,
        "issues": 0,
        "satisfaction": None,
        "points": 0,
    },
    # the district: medians over all its rows, not sums of the streets' medians
    "七里河区": {
        "meetings_joint": 4,
        "meetings_community": 2,
        "meetings_held": 6,
        "matters_resolved": 3,
        "orders": 4,
        "order_accept_median": 2.0,  # of 2, 4, 1
        "order_accept_avg": 2.3,  # 7 / 3
        "issue_accept_median": 3.0,  # of 1, 3, 5
        "issue_finish_median": 9.0,  # of 12, 6
        "satisfaction": 3.5,
        "points": 55,
    },
}
