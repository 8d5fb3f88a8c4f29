"""A small hand-counted world for the statistics tests (the figures are in EXPECTED)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from alliance.committee.models import Matter, Meeting, Seat
from members.models import EnterpriseAlliance, EnterpriseAllianceMembership, MemberUnit, Pairing
from projects.models import Claim, Need, Project
from services.models import Issue, Order
from tests.alliance.factories import CommitteeFactory, MatterFactory, MeetingFactory, SeatFactory
from tests.grids.factories import CommunityFactory, StreetFactory
from tests.members.factories import MemberUnitFactory, PartyMemberFactory
from tests.points.factories import PointsEntryFactory
from tests.projects.factories import ClaimFactory, NeedFactory, PledgeFactory, ProjectFactory, ResourceFactory
from tests.services.factories import IssueFactory, OrderFactory

YEAR = 2026


def at(month: int, day: int = 10, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(YEAR, month, day, hour))


def build(street, community, other_community, *, extra: int = 0):
    """The world; ``extra`` adds that many more rows of each kind (for the query-count tests)."""
    elsewhere = CommunityFactory(parent=StreetFactory(name="西站街道"))
    firms = [MemberUnitFactory(grid_node=community, kind=MemberUnit.Kind.STATE_FIRM) for _ in range(3 + extra)]
    schools = [MemberUnitFactory(grid_node=other_community, kind=MemberUnit.Kind.SCHOOL) for _ in range(2)]
    MemberUnitFactory(grid_node=community, kind=MemberUnit.Kind.SCHOOL, status=MemberUnit.Status.WITHDRAWN)
    MemberUnitFactory(grid_node=elsewhere)  # another street

    committee = CommitteeFactory(grid_node=street)
    SeatFactory(committee=committee, role=Seat.Role.SECRETARY)
    SeatFactory.create_batch(2 + extra, committee=committee, role=Seat.Role.FULL_TIME)
    SeatFactory.create_batch(3, committee=committee, role=Seat.Role.PART_TIME)
    SeatFactory(committee=committee, role=Seat.Role.PART_TIME, term_end=datetime.date(2025, 12, 31))  # past

    for unit in firms[:2]:
        Pairing.objects.create(unit=unit, community=community, starts_on=datetime.date(2025, 1, 1))
    Pairing.objects.create(
        unit=schools[0],
        community=other_community,
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2024, 12, 31),
    )  # ended
    ea = EnterpriseAlliance.objects.create(name="舜玉路街道企业家联盟", street=street)
    for unit in firms[:2]:
        EnterpriseAllianceMembership.objects.create(alliance=ea, unit=unit, joined_on=datetime.date(2025, 1, 1))

    ResourceFactory.create_batch(3 + extra, unit=firms[0], grid_node=community)
    ResourceFactory(unit=firms[0], grid_node=elsewhere)
    for status in ("open", "matched", "fulfilled", "closed"):
        NeedFactory(grid_node=community, status=status)
    NeedFactory.create_batch(extra, grid_node=community, status=Need.Status.OPEN)
    published = ProjectFactory(grid_node=community)
    crowd = ProjectFactory(grid_node=community, crowdfunding_target=Decimal("5000"))
    ProjectFactory(grid_node=community, status=Project.Status.DRAFT)
    done = ClaimFactory(project=published, unit=firms[0], status=Claim.Status.COMPLETED)
    Claim.objects.filter(pk=done.pk).update(completed_at=at(3))
    ClaimFactory(project=published, unit=firms[1], status=Claim.Status.APPROVED)
    ClaimFactory(project=crowd, unit=firms[2], status=Claim.Status.REJECTED)
    PledgeFactory(project=crowd, unit=firms[0], amount=Decimal("1000"))
    PledgeFactory(project=crowd, unit=firms[1], amount=Decimal("500.50"))
    Claim.objects.update(claimed_at=at(2))

    for status, n in ((Order.Status.SUBMITTED, 2 + extra), (Order.Status.RATED, 1), (Order.Status.DELIVERED, 1)):
        for _ in range(n):
            OrderFactory(
                grid_node=community,
                status=status,
                submitted_at=at(4),
                accepted_at=at(4, hour=11) if status != "submitted" else None,
                delivered_at=at(4, 11, 15) if status != "submitted" else None,
                rated_at=at(4, 12) if status == "rated" else None,
                rating=5 if status == "rated" else None,
                unit=firms[0] if status != "submitted" else None,
            )
    OrderFactory(grid_node=community, submitted_at=at(4).replace(year=YEAR - 1))  # last year
    IssueFactory(grid_node=community, reported_at=at(5))
    for _ in range(extra):
        IssueFactory(grid_node=community, reported_at=at(5))
    IssueFactory(grid_node=community, reported_at=at(5), status=Issue.Status.EVALUATED, rating=5, rated_at=at(6))
    IssueFactory(grid_node=community, reported_at=at(5), status=Issue.Status.EVALUATED, rating=3, rated_at=at(6))

    MeetingFactory.create_batch(2 + extra, committee=committee, status=Meeting.Status.HELD, held_at=at(3))
    MeetingFactory(committee=committee)  # scheduled
    MatterFactory(committee=committee, status=Matter.Status.RESOLVED, resolved_at=at(3))
    MatterFactory(committee=committee)

    for i, pts in enumerate([12, 30, 7]):
        m = PartyMemberFactory(community=community, unit=firms[0], name=f"党员{'甲乙丙'[i]}")
        PointsEntryFactory(member=m, points=pts, occurred_on=datetime.date(YEAR, 3, 5))
    for _ in range(extra):
        m = PartyMemberFactory(community=community, unit=firms[0])
        PointsEntryFactory(member=m, points=1, occurred_on=datetime.date(YEAR, 3, 5))
    return {"committee": committee, "firms": firms}


EXPECTED = {
    "seats": {"full_time": 3, "part_time": 3},
    "alliance": {"paired_units": 2, "alliance_firms": 2},
    "units": {"state_firm": 3, "school": 2},
    "lists": {
        "resources": 3,
        "needs": 3,
        "needs_covered": 2,
        "projects": 3,  # drafts are on the list too; cancelled ones are not
        "crowdfunding_projects": 1,
        "claims": 2,
        "claims_completed": 1,
        "pledged": Decimal("1500.50"),
    },
    "orders": {"submitted": 2, "rated": 1, "delivered": 1, "accepted": 0, "served": 0, "cancelled": 0},
    "issues": {"discovered": 1, "evaluated": 2},
    "committee": {"meetings_held": 2, "matters_resolved": 1},
    "top3": [("党员乙", 30), ("党员甲", 12), ("党员丙", 7)],
}
