"""A small street whose every figure is counted by hand (see each comment), in May 2025."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from alliance.committee.models import Invitation, Meeting
from grids.models import Team
from projects.models import Claim
from services.models import Activity, Issue, IssueEvent, Order
from tests.alliance.factories import CommitteeFactory, MeetingFactory
from tests.grids.factories import MicroGridFactory, TeamFactory
from tests.members.factories import MemberUnitFactory
from tests.projects.factories import ClaimFactory, ProjectFactory
from tests.services.factories import (
    ActivityFactory,
    IssueFactory,
    MenuItemFactory,
    OrderFactory,
    ServiceStationFactory,
)

YEAR = 2025


def at(month: int, day: int, year: int = YEAR) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, 10, 0))


def delivered_order(*, node, rating=None, unit=None, item=None, when=None):
    return OrderFactory(
        menu_item=item or MenuItemFactory(provider_unit=unit, grid_scope=node),
        grid_node=node,
        unit=unit,
        status=Order.Status.RATED if rating else Order.Status.DELIVERED,
        submitted_at=(when or at(5, 1)) - datetime.timedelta(days=2),
        accepted_at=(when or at(5, 1)) - datetime.timedelta(days=1),
        delivered_at=when or at(5, 1),
        rating=rating,
    )


def issue(node, status, *, rating=None, late=False):
    row = IssueFactory(grid_node=node, status=status, rating=rating, reported_at=at(5, 3), step_started_at=at(5, 3))
    if late:
        IssueEvent.objects.create(
            issue=row, kind=IssueEvent.Kind.AUTO_ESCALATED, status=status, level=Issue.Level.COMMUNITY, at=at(5, 9)
        )
    return row


@pytest.fixture
def world(street, community):
    """Unit 1 (unit_a): 2 claims done in 2025 rated 5 and 4 (one in 2024 not counted), 3 services delivered
    rated 5, 5 and unrated, invited to 2 held meetings and signed in at 1 (a scheduled one not counted).
    Unit 2 (unit_b): nothing. Micro-grid 1 (grid_a): the claims' projects, unit 1's 3 orders, 4 issues (2
    closed in time rated 4 and unrated, 1 closed but auto-escalated rated 2, 1 still handled), 2 activities
    (and a cancelled one), a joint-duty team. Micro-grid 2 (grid_b): 1 order of the station's menu, rated 3.
    The station sits in the community."""
    grid_a = MicroGridFactory(parent=community, name="舜园1号楼微网格")
    grid_b = MicroGridFactory(parent=community, name="舜园2号楼微网格")
    unit_a = MemberUnitFactory(grid_node=community, name="舜耕供电所")
    unit_b = MemberUnitFactory(grid_node=community, name="舜玉小学")
    station = ServiceStationFactory(grid_node=community, name="舜园社区党群服务站")
    team = TeamFactory(node=grid_a, kind=Team.Kind.JOINT_DUTY, name="联勤队伍")
    TeamFactory(node=grid_a, kind=Team.Kind.VOLUNTEER, name="志愿服务队")  # not assessed
    project = ProjectFactory(grid_node=grid_a, capacity=5)
    for rating, completed in ((5, at(5, 10)), (4, at(5, 12)), (5, at(12, 20, YEAR - 1))):
        ClaimFactory(
            project=project,
            unit=unit_a,
            status=Claim.Status.EVALUATED,
            completed_at=completed,
            rating=rating,
        )
        project = ProjectFactory(grid_node=grid_a, capacity=5)
    for rating in (5, 5, None):
        delivered_order(node=grid_a, unit=unit_a, rating=rating)
    station_item = MenuItemFactory(provider_unit=None, provider_station=station, grid_scope=community)
    delivered_order(node=grid_b, item=station_item, rating=3)
    committee = CommitteeFactory(grid_node=street)
    for checked_in, status in ((True, Meeting.Status.HELD), (False, Meeting.Status.HELD), (True, "scheduled")):
        meeting = MeetingFactory(committee=committee, status=status, starts_at=at(6, 1))
        Invitation.objects.create(meeting=meeting, unit=unit_a, checked_in=checked_in)
    issue(grid_a, Issue.Status.EVALUATED, rating=4)
    issue(grid_a, Issue.Status.FEEDBACK)
    issue(grid_a, Issue.Status.EVALUATED, rating=2, late=True)
    issue(grid_a, Issue.Status.HANDLING)
    for status in (Activity.Status.PUBLISHED, Activity.Status.PUBLISHED, Activity.Status.CANCELLED):
        ActivityFactory(grid_node=grid_a, status=status, starts_at=at(5, 20))
    return SimpleNamespace(
        street=street,
        community=community,
        grid_a=grid_a,
        grid_b=grid_b,
        unit_a=unit_a,
        unit_b=unit_b,
        station=station,
        team=team,
    )
