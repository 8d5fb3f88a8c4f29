"""A hand-counted district for the to-do page: two communities of one street and a second street, each with
rows waiting (and rows that do not wait) in every line."""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from alliance.committee.models import Committee, Matter, Meeting, Milestone
from alliance.core.models import Notification, NotificationDelivery
from alliance.proposals.models import Proposal
from alliance.surveys.models import Selection, Survey
from alliance.volunteering.models import DualReport
from projects.models import Claim, Match, Need, Wish
from services.models import Booking, Issue, Order
from tests.alliance.factories import CommitteeFactory, MatterFactory, MeetingFactory
from tests.grids.factories import CommunityFactory, StreetFactory
from tests.members.factories import ResidentFactory
from tests.projects.factories import ClaimFactory, MatchFactory, NeedFactory, ProjectFactory, WishFactory
from tests.proposals.factories import ProposalFactory
from tests.services.factories import BookingFactory, IssueFactory, OrderFactory, RoomFactory, ServiceStationFactory
from tests.surveys.factories import SurveyFactory
from tests.surveys.selection_factories import voting_selection
from tests.volunteering.factories import DualReportFactory

LONG_AGO = datetime.timedelta(days=12)  # past every limit (one to five working days), holidays or not


@dataclass
class Place:
    """Makes the waiting rows of one grid node."""

    node: object
    made: int = 0
    _resident: object = None

    def resident(self):
        """The one resident behind this place's rows (a password hash per user is what costs)."""
        if self._resident is None:
            self._resident = ResidentFactory(grid_node=self.node)
        return self._resident

    def order(self, status=Order.Status.SUBMITTED, *, late=False, title=None):
        when = timezone.now() - (LONG_AGO if late else datetime.timedelta(minutes=5))
        order = OrderFactory(resident=self.resident(), status=status, submitted_at=when - datetime.timedelta(hours=1))
        if title:
            order.menu_item.title = title
            order.menu_item.save(update_fields=["title"])
        if status == Order.Status.SERVED:
            Order.objects.filter(pk=order.pk).update(served_at=when, accepted_at=when)
        return order

    def issue(self, status=Issue.Status.DISCOVERED, *, late=False, title="楼道堆放杂物"):
        when = timezone.now() - (LONG_AGO if late else datetime.timedelta(minutes=5))
        return IssueFactory(
            reporter=self.resident(), status=status, step_started_at=when, reported_at=when, title=title
        )

    def claim(self, status=Claim.Status.PENDING):
        return ClaimFactory(project=ProjectFactory(grid_node=self.node), status=status)

    def wish(self, status=Wish.Status.SUBMITTED):
        return WishFactory(grid_node=self.node, status=status, resident=self.resident())

    def need(self, status=Need.Status.OPEN):
        return NeedFactory(grid_node=self.node, status=status)

    def match(self, status=Match.Status.SUGGESTED):
        return MatchFactory(need=NeedFactory(grid_node=self.node, status=Need.Status.MATCHED), status=status)

    def committee(self):
        kind = Committee.Kind.COMMUNITY_PARTY if self.node.level == 2 else Committee.Kind.STREET_JOINT
        return CommitteeFactory(grid_node=self.node, kind=kind)

    def meeting(self, *, minutes=""):
        start = timezone.now() - datetime.timedelta(days=4)
        return MeetingFactory(
            committee=self.committee(),
            status=Meeting.Status.HELD,
            minutes=minutes,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
        )

    def matter(self, *, late=True, status=Matter.Status.RESOLVED):
        matter = MatterFactory(committee=self.committee(), status=status, resolved_at=timezone.now())
        today = timezone.localdate()
        Milestone.objects.create(
            matter=matter, title="完成方案", due_on=today - datetime.timedelta(days=3), done_on=None if late else today
        )
        Milestone.objects.create(matter=matter, title="开工", due_on=today + datetime.timedelta(days=10))
        return matter

    def booking(self, status=Booking.Status.PENDING):
        room = RoomFactory(station=ServiceStationFactory(grid_node=self.node), needs_approval=True)
        return BookingFactory(room=room, booked_by=self.resident(), status=status)

    def dual_report(self, status=DualReport.Status.SUBMITTED, *, late=False):
        when = timezone.now() - (LONG_AGO if late else datetime.timedelta(minutes=5))
        return DualReportFactory(member__community=self.node, community=self.node, status=status, submitted_at=when)

    def proposal(self, status=Proposal.Status.SUBMITTED):
        return ProposalFactory(community=self.node, author=self.resident(), status=status)

    def survey(self, status=Survey.Status.CLOSED):
        return SurveyFactory(grid_node=self.node, status=status, closed_at=timezone.now())

    def selection(self, status=Selection.Status.CLOSED):
        return voting_selection(self.node, candidates=2, status=status, closed_at=timezone.now())

    def failed_delivery(self, status=NotificationDelivery.Status.FAILED):
        note = Notification.objects.create(
            recipient=self.resident(), key=f"test:{timezone.now().timestamp()}", title="点单已接单"
        )
        return NotificationDelivery.objects.create(
            notification=note, channel="sms", address="13912345678", status=status, last_error="短信网关无应答"
        )


def fill(place: Place, *, extra: int = 0) -> None:
    """One community's rows: what waits and what does not (``extra`` more waiting rows of each line)."""
    for _ in range(1 + extra):
        place.order(late=True)
        place.order(Order.Status.SERVED, late=True)
        place.issue(late=True)
        place.claim()
        place.wish()
        place.need()
        place.match()
        place.meeting()
        place.matter()
        place.booking()
        place.failed_delivery()
        place.dual_report(late=True)
        place.proposal()
    place.order(late=True)
    place.order()  # in time
    place.issue(Issue.Status.HANDLING)  # in time
    # Rows that wait for nobody on staff.
    place.order(Order.Status.ACCEPTED)
    place.issue(Issue.Status.FEEDBACK)
    place.claim(Claim.Status.APPROVED)
    place.wish(Wish.Status.PUBLISHED)
    place.need(Need.Status.FULFILLED)
    place.match(Match.Status.DISMISSED)
    place.meeting(minutes="会议研究了停车难问题。")
    place.matter(late=False)
    place.booking(Booking.Status.CONFIRMED)
    place.failed_delivery(NotificationDelivery.Status.SENT)
    place.dual_report()  # in time
    place.dual_report(DualReport.Status.CONFIRMED)
    place.proposal(Proposal.Status.PUBLISHED)
    place.survey()  # closed, its results not yet published
    place.survey(Survey.Status.PUBLISHED)
    place.selection()  # voting ended, its result not yet published
    place.selection(Selection.Status.VOTING)


# What fill() leaves waiting in one community, line by line: (count, past the limit).
ONE_COMMUNITY = {
    "matters_at_district": (0, None),  # the district's line: no street or community matter is ever on it
    "orders_to_accept": (3, 2),
    "orders_to_confirm": (1, 1),
    "issues_discovered": (1, 1),
    "issues_consulting": (0, 0),
    "issues_handling": (1, 0),
    "claims_to_decide": (1, None),
    "wishes_to_review": (1, None),
    "needs_open": (1, None),
    "matches_to_review": (1, None),
    "meetings_without_minutes": (1, None),
    "matters_overdue": (1, None),
    "bookings_to_confirm": (1, None),
    "deliveries_failed": (1, None),
    "reports_to_confirm": (2, 1),
    "surveys_to_publish": (1, None),
    "selections_to_publish": (1, None),
    "needs_to_review": (0, None),
    "proposals_to_review": (1, None),
}


@pytest.fixture
def district(street, community, other_community):
    """The community admin's community, its neighbour in the same street, and a community of another street."""
    far = CommunityFactory(parent=StreetFactory(name="甸柳街道"), name="甸柳一居")
    fill(Place(community))
    fill(Place(other_community))
    fill(Place(far))
    Place(street).meeting()  # the street committee's meeting: the street admin's only
    return {"community": community, "other": other_community, "far": far}
