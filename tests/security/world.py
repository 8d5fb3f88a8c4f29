"""One small district with a record of every API collection, shared by the security tests.

Community A (舜园社区) holds the records; community B (舜华社区) has its own admin, unit and resident,
so cross-scope access can be tried. ``build_world()`` returns a namespace of users and records.
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from alliance.assessment.models import Assessment
from alliance.core.models import Notification
from alliance.following.models import Digest, Follow
from alliance.points import wall
from alliance.points.models import PointsEntry, PointsKind
from members.models import User
from services import actions
from services.models import Order
from tests.alliance.factories import CommitteeFactory, MatterFactory, MeetingFactory
from tests.grids.factories import CommunityFactory, GridRoleFactory, MicroGridFactory, StreetFactory
from tests.members.factories import (
    CommunityAdminFactory,
    GridWorkerFactory,
    MemberUnitFactory,
    PairingFactory,
    PartyMemberFactory,
    ResidentFactory,
    StreetAdminFactory,
    UnitOperatorFactory,
    UserFactory,
)
from tests.news.factories import ArticleFactory
from tests.projects.factories import (
    ClaimFactory,
    MatchFactory,
    NeedFactory,
    PersonClaimFactory,
    PledgeFactory,
    ProjectFactory,
    ResourceFactory,
    WishFactory,
    category,
)
from tests.proposals.factories import ProposalFactory
from tests.services.factories import (
    ActivityFactory,
    BookingFactory,
    IssueFactory,
    MenuItemFactory,
    OrderFactory,
    RecurringServiceFactory,
    RoomFactory,
    ServiceStationFactory,
)
from tests.surveys.factories import needs_survey
from tests.surveys.selection_factories import voting_selection
from tests.volunteering.factories import DualReportFactory, FeedbackSheetFactory

ROLES = (
    "anonymous",
    "resident",
    "party_member",
    "unit_operator",
    "grid_worker",
    "community_admin",
    "street_admin",
    "superuser",
)


def build_world() -> SimpleNamespace:
    w = SimpleNamespace()
    w.street = StreetFactory(name="舜玉路街道")
    w.community = CommunityFactory(parent=w.street, name="舜园社区")
    w.other_community = CommunityFactory(parent=w.street, name="舜华社区")
    w.micro_grid = MicroGridFactory(parent=w.community, name="舜园3号楼微网格")
    GridRoleFactory(node=w.micro_grid, holder_name="王网格", phone="13912345678")

    w.unit = MemberUnitFactory(grid_node=w.community, name="舜园物业公司")
    w.other_unit = MemberUnitFactory(grid_node=w.other_community, name="舜华供电所")
    w.users = {
        "anonymous": None,
        "resident": ResidentFactory(grid_node=w.community, username="resident_a"),
        "party_member": UserFactory(role=User.Role.PARTY_MEMBER, grid_node=w.community, username="member_a"),
        "unit_operator": UnitOperatorFactory(unit=w.unit, grid_node=w.community, username="operator_a"),
        "grid_worker": GridWorkerFactory(grid_node=w.community, username="worker_a"),
        "community_admin": CommunityAdminFactory(grid_node=w.community, username="cadmin_a"),
        "street_admin": StreetAdminFactory(grid_node=w.street, username="sadmin"),
        "superuser": UserFactory(username="root", is_superuser=True, is_staff=True),
    }
    w.other_resident = ResidentFactory(grid_node=w.other_community, username="resident_b")
    w.other_operator = UnitOperatorFactory(unit=w.other_unit, grid_node=w.other_community, username="operator_b")
    w.other_admin = CommunityAdminFactory(grid_node=w.other_community, username="cadmin_b")
    resident = w.users["resident"]

    w.party_member = PartyMemberFactory(unit=w.unit, community=w.community)
    w.committee = CommitteeFactory(grid_node=w.street)
    w.meeting = MeetingFactory(committee=w.committee)
    w.matter = MatterFactory(committee=w.committee)

    w.category = category()
    w.resource = ResourceFactory(unit=w.unit, category=w.category)
    w.need = NeedFactory(grid_node=w.community, category=w.category)
    w.project = ProjectFactory(grid_node=w.community, category=w.category)
    w.claim = ClaimFactory(project=w.project, unit=w.unit)
    w.other_project = ProjectFactory(grid_node=w.other_community, category=w.category)
    w.other_claim = ClaimFactory(project=w.other_project, unit=w.other_unit)
    # A project open to individuals (个人可认领) and the resident's own claim on it.
    w.open_project = ProjectFactory(
        grid_node=w.community, category=w.category, allows_individuals=True, individual_capacity=3
    )
    w.person_claim = PersonClaimFactory(project=w.open_project, person=resident)
    w.fund_project = ProjectFactory(grid_node=w.community, category=w.category, crowdfunding_target=Decimal("10000"))
    w.pledge = PledgeFactory(project=w.fund_project, unit=w.unit)
    w.match = MatchFactory(need=w.need, resource=w.resource)
    w.wish = WishFactory(grid_node=w.community, resident=resident)

    w.station = ServiceStationFactory(grid_node=w.community)
    w.room = RoomFactory(station=w.station)
    start = timezone.now() + datetime.timedelta(days=2)
    w.booking = BookingFactory(
        room=w.room, booked_by=resident, starts_at=start, ends_at=start + datetime.timedelta(hours=1)
    )
    w.menu_item = MenuItemFactory(provider_unit=w.unit, category=w.category)
    w.order = OrderFactory(resident=resident, menu_item=w.menu_item, grid_node=w.community)
    w.other_order = OrderFactory(resident=w.other_resident, menu_item=w.menu_item, grid_node=w.other_community)
    w.issue = IssueFactory(reporter=resident, grid_node=w.community)
    w.other_issue = IssueFactory(reporter=w.other_resident, grid_node=w.other_community)
    # On the public board (说事墙): reported by community B's resident in community A, so every role may say “同样遇到”.
    w.public_issue = actions.publish_issue(
        by=w.other_resident, issue=IssueFactory(reporter=w.other_resident, grid_node=w.community, title="路灯不亮")
    )
    w.activity = ActivityFactory(grid_node=w.community)
    w.recurring_service = RecurringServiceFactory(station=w.station, provider_unit=w.unit)
    w.article = ArticleFactory(grid_node=w.community)
    w.notification = Notification.objects.create(recipient=resident, key="test:1:step", title="通知", body="正文")
    w.points = PointsEntry.objects.create(
        unit=w.unit,
        grid_node=w.community,
        street=w.street,
        kind=PointsKind.ORDER_DELIVERED,
        points=5,
        reason="点单服务送达",
        source_type=ContentType.objects.get_for_model(Order),
        source_id=w.order.pk,
        occurred_on=timezone.localdate(),
    )

    w.wall, _ = wall.take_snapshot(w.station, year=2026, month=1)
    w.assessment = Assessment.objects.create(street=w.street, year=2025, status=Assessment.Status.PUBLISHED)
    w.dual_report = DualReportFactory(member=w.party_member, community=w.community)
    w.feedback_sheet = FeedbackSheetFactory(member=w.party_member, community=w.community)
    w.pairing = PairingFactory(unit=w.unit, community=w.community)
    # The resident follows community A (e-mail: the resident has an address) and has had one digest.
    resident.email = "resident_a@example.cn"
    resident.save(update_fields=["email"])
    w.follow = Follow.objects.create(user=resident, node=w.community, topics=["news"], frequency="weekly")
    w.digest = Digest.objects.create(
        user=resident, frequency="weekly", period=timezone.localdate(), window_start=timezone.now(),
        window_end=timezone.now(), run="world", items=[{"area": "舜园社区", "node": w.community.pk, "items": []}],
    )  # fmt: skip
    # A published proposal of community A (a neighbour's, so every role may support it) and one to merge it into.
    w.proposal = ProposalFactory(community=w.community, author=w.other_resident, status="published")
    w.proposal_target = ProposalFactory(community=w.community, author=w.other_resident, status="published")
    # An open needs survey of community A for residents and party members (units not asked).
    w.survey, w.survey_question, w.survey_scale, _ = needs_survey(w.community)

    # 评选 in community A: a draft (the first by id: the admin crawl's record, which may be deleted) and one voting now
    w.draft_selection = voting_selection(w.community, candidates=2, status="draft")
    w.selection = voting_selection(w.community, candidates=2)

    # The record each collection's detail endpoints are tried on.
    w.records = {
        "grids": w.micro_grid,
        "units": w.unit,
        "members": w.party_member,
        "pairings": w.pairing,
        "committees": w.committee,
        "meetings": w.meeting,
        "matters": w.matter,
        "categories": w.category,
        "resources": w.resource,
        "needs": w.need,
        "projects": w.project,
        "claims": w.claim,
        "pledges": w.pledge,
        "matches": w.match,
        "wishes": w.wish,
        "stations": w.station,
        "rooms": w.room,
        "bookings": w.booking,
        "menu": w.menu_item,
        "orders": w.order,
        "issues": w.issue,
        "activities": w.activity,
        "recurring-services": w.recurring_service,
        "notifications": w.notification,
        "points": w.points,
        "articles": w.article,
        "stats": w.street,  # a list-only collection: its detail routes do not exist
        "district-stats": w.street,  # the same, for the whole district
        "map": w.street,  # the same: the map has a list and a collection action
        "wall": w.wall,
        "assessments": w.assessment,
        "dual-reports": w.dual_report,
        "follows": w.follow,
        "proposals": w.proposal,
        "surveys": w.survey,
        "public-issues": w.public_issue,
        "selections": w.selection,
    }
    return w
