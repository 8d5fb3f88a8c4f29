"""Reminders, each sent once per key: a confirmed member with no service this quarter; the admins of a community
whose reports wait past the limit. One of them sent by a real Celery worker, exactly once."""

import datetime
import time

import pytest
from django.utils import timezone

from alliance.core.models import Notification
from alliance.points.models import PointsKind
from alliance.volunteering import actions
from alliance.volunteering.models import DualReport
from alliance.volunteering.tasks import remind_waiting_reports_task
from tests.members.factories import CommunityAdminFactory, PartyMemberFactory
from tests.points.factories import PointsEntryFactory
from tests.volunteering.factories import DualReportFactory, PartyMemberUserFactory

TODAY = datetime.date(2026, 11, 20)


def _confirmed(community, **member):
    user = PartyMemberUserFactory(grid_node=community)
    return DualReportFactory(
        member=PartyMemberFactory(user=user, community=community, **member),
        status=DualReport.Status.CONFIRMED,
        confirmed_at=timezone.now(),
    )


@pytest.mark.django_db
def test_a_member_with_no_service_this_quarter_is_reminded_once(community):
    idle = _confirmed(community)
    busy = _confirmed(community)
    PointsEntryFactory(
        member=busy.member, kind=PointsKind.VOLUNTEER_HOURS, hours=2, occurred_on=datetime.date(2026, 10, 9)
    )
    # A rating is not a service of its own, and last quarter's service does not count for this one.
    PointsEntryFactory(member=idle.member, kind=PointsKind.ORDER_RATED, occurred_on=datetime.date(2026, 10, 9))
    PointsEntryFactory(member=idle.member, hours=2, occurred_on=datetime.date(2026, 9, 9))
    DualReportFactory(member__community=community)  # not confirmed: not reminded
    assert actions.remind_idle_members(today=TODAY) == 1
    assert actions.remind_idle_members(today=TODAY) == 0
    notes = Notification.objects.filter(key__contains=":idle:")
    assert [n.recipient_id for n in notes] == [idle.member.user_id]
    assert "亮明身份、亮出特长、亮清责任" in notes[0].body
    # The next quarter it is said again.
    assert actions.remind_idle_members(today=datetime.date(2027, 2, 1)) == 2


@pytest.mark.django_db
def test_a_community_with_reports_waiting_too_long_hears_it_once_a_week(community, other_community):
    admin, other_admin = CommunityAdminFactory(grid_node=community), CommunityAdminFactory(grid_node=other_community)
    old = timezone.make_aware(datetime.datetime(2026, 11, 2, 10))
    DualReportFactory(member__community=community, submitted_at=old)
    DualReportFactory(member__community=community, submitted_at=old)
    DualReportFactory(
        member__community=other_community, submitted_at=timezone.make_aware(datetime.datetime(2026, 11, 18))
    )
    DualReportFactory(
        member__community=other_community,
        submitted_at=old,
        status=DualReport.Status.RESUBMITTED,
        resubmitted_at=timezone.make_aware(datetime.datetime(2026, 11, 19, 10)),
    )
    assert actions.remind_waiting_reports(today=TODAY) == 1
    assert actions.remind_waiting_reports(today=TODAY + datetime.timedelta(days=1)) == 0  # the same week
    note = Notification.objects.get(recipient=admin)
    assert "2份双报到超过7天未确认" in note.title
    assert not Notification.objects.filter(recipient=other_admin).exists()


def _wait_for(predicate, timeout=30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_waiting_reminder_exactly_once(celery_worker, community):
    admin = CommunityAdminFactory(grid_node=community)
    DualReportFactory(member__community=community, submitted_at=timezone.make_aware(datetime.datetime(2026, 11, 2, 10)))
    for _ in range(3):
        remind_waiting_reports_task.delay(today=TODAY.isoformat())
    assert _wait_for(
        lambda: Notification.objects.filter(recipient=admin, key__startswith="dual-reports-waiting:").exists()
    )
    time.sleep(2)
    assert Notification.objects.filter(recipient=admin, key__startswith="dual-reports-waiting:").count() == 1
