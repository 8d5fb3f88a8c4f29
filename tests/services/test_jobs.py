"""Reminders and escalations: limits in working days, each sent once, with a real worker and a moved clock."""

import datetime
import time

import pytest
from django.utils import timezone

from alliance.core.models import Notification
from services import actions
from services.models import Holiday, Issue, ServiceSettings
from services.tasks import escalate_overdue_issues_task, remind_unaccepted_orders_task
from services.workdays import add_working_days, working_days_between
from tests.members.factories import (
    CommunityAdminFactory,
    GridWorkerFactory,
    MemberUnitFactory,
    ResidentFactory,
    UnitOperatorFactory,
)
from tests.services.factories import ActivityFactory, MenuItemFactory, category

TZ = timezone.get_current_timezone()
MONDAY = datetime.datetime(2026, 9, 28, 9, 0, tzinfo=TZ)  # the Monday before the National Day week


def test_working_days_skip_weekends_and_the_holiday_calendar(db):
    friday = MONDAY + datetime.timedelta(days=4)
    assert add_working_days(friday, 1).date() == datetime.date(2026, 10, 5)
    for day in range(1, 8):
        Holiday.objects.create(date=datetime.date(2026, 10, day), name="国庆节")
    Holiday.objects.create(date=datetime.date(2026, 10, 10), name="国庆调休", is_workday=True)
    assert add_working_days(friday, 1).date() == datetime.date(2026, 10, 8)
    assert add_working_days(friday, 3).date() == datetime.date(2026, 10, 10)  # a working Saturday
    assert (
        working_days_between(MONDAY, MONDAY + datetime.timedelta(days=14)) == 6
    )  # Tue, Wed, Thu 8th, Fri 9th, Sat 10th (调休), Mon 12th


@pytest.fixture
def offered(community):
    """A free-text order offered to two units of the category; one unit elsewhere is not offered it."""
    resident = ResidentFactory(grid_node=community)
    ops = []
    for _ in range(2):
        unit = MemberUnitFactory(grid_node=community)
        MenuItemFactory(provider_unit=unit, grid_scope=community)
        ops.append(UnitOperatorFactory(unit=unit, grid_node=community))
    order = actions.submit_order(by=resident, category=category("elderly"), text="帮老人送午饭", now=MONDAY)
    return order, ops


def test_unaccepted_order_reminds_units_then_escalates_once(offered, community, other_community):
    order, ops = offered
    admin = CommunityAdminFactory(grid_node=community)
    far_op = UnitOperatorFactory(unit=MemberUnitFactory(grid_node=other_community), grid_node=other_community)
    # Same day: nothing due.
    assert actions.remind_unaccepted_orders(now=MONDAY + datetime.timedelta(hours=5)) == {"reminded": 0, "escalated": 0}
    # One working day later: the two units are reminded; the community admin not yet.
    tuesday = MONDAY + datetime.timedelta(days=1, minutes=1)
    assert actions.remind_unaccepted_orders(now=tuesday) == {"reminded": 2, "escalated": 0}
    assert actions.remind_unaccepted_orders(now=tuesday) == {"reminded": 0, "escalated": 0}
    # Two working days: escalate to the community admin, once.
    wednesday = tuesday + datetime.timedelta(days=1)
    assert actions.remind_unaccepted_orders(now=wednesday)["escalated"] == 1
    assert actions.remind_unaccepted_orders(now=wednesday)["escalated"] == 0
    assert admin.notifications.filter(key=f"order:{order.pk}:escalate").count() == 1
    assert not far_op.notifications.exists()
    kinds = list(order.events.values_list("kind", flat=True))
    assert kinds == ["submitted", "reminded", "escalated"]


def test_accepted_orders_are_not_reminded(offered):
    order, ops = offered
    actions.accept_order(by=ops[0], order=order, now=MONDAY)
    assert actions.remind_unaccepted_orders(now=MONDAY + datetime.timedelta(days=7)) == {"reminded": 0, "escalated": 0}


def test_served_orders_the_community_has_not_confirmed_remind_its_staff_once(offered, community, other_community):
    order, ops = offered
    worker = GridWorkerFactory(grid_node=community)
    far_admin = CommunityAdminFactory(grid_node=other_community)
    actions.accept_order(by=ops[0], order=order, now=MONDAY)
    actions.serve_order(by=ops[0], order=order, now=MONDAY + datetime.timedelta(hours=1))
    assert worker.notifications.filter(key=f"order:{order.pk}:served").exists()  # asked at once
    assert actions.remind_unconfirmed_deliveries(now=MONDAY + datetime.timedelta(hours=5)) == 0
    tuesday = MONDAY + datetime.timedelta(days=1, hours=1, minutes=1)
    assert actions.remind_unconfirmed_deliveries(now=tuesday) == 1
    assert actions.remind_unconfirmed_deliveries(now=tuesday) == 0
    assert worker.notifications.filter(key=f"order:{order.pk}:confirm-remind").count() == 1
    assert not far_admin.notifications.exists()
    actions.confirm_delivery(by=worker, order=order, now=tuesday)
    assert actions.remind_unconfirmed_deliveries(now=tuesday + datetime.timedelta(days=7)) == 0


def test_order_limits_come_from_the_settings_row(offered):
    conf = ServiceSettings.load()
    conf.order_remind_days = 3
    conf.save()
    assert actions.remind_unaccepted_orders(now=MONDAY + datetime.timedelta(days=2, minutes=1))["reminded"] == 0
    assert actions.remind_unaccepted_orders(now=MONDAY + datetime.timedelta(days=3, minutes=1))["reminded"] == 2


def test_issue_past_its_step_limit_escalates_one_level_per_limit(resident, micro_grid, community):
    admin = CommunityAdminFactory(grid_node=community)
    issue = actions.report_issue(
        by=resident, title="井盖缺失", text="小区东门井盖缺失", grid_node=micro_grid, now=MONDAY
    )
    # discovered: limit 1 working day.
    assert actions.escalate_overdue_issues(now=MONDAY + datetime.timedelta(hours=20)) == 0
    assert actions.escalate_overdue_issues(now=MONDAY + datetime.timedelta(days=1, minutes=1)) == 1
    assert actions.escalate_overdue_issues(now=MONDAY + datetime.timedelta(days=1, minutes=2)) == 0
    issue.refresh_from_db()
    assert issue.level == Issue.Level.COMMUNITY
    assert admin.notifications.filter(key=f"issue:{issue.pk}:escalate:2").count() == 1
    assert issue.events.last().kind == "auto_escalated"


def test_activity_reminders_go_the_day_before_once(community, resident):
    activity = ActivityFactory(grid_node=community, starts_at=MONDAY + datetime.timedelta(days=1))
    actions.sign_up(by=resident, activity=activity, now=MONDAY - datetime.timedelta(days=2))
    assert actions.remind_activities_day_before(now=MONDAY - datetime.timedelta(days=1)) == 0
    assert actions.remind_activities_day_before(now=MONDAY + datetime.timedelta(hours=9)) == 1
    assert actions.remind_activities_day_before(now=MONDAY + datetime.timedelta(hours=10)) == 0


def wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_sends_reminder_escalation_and_issue_escalation_exactly_once(celery_worker, community, micro_grid):
    # Given an order nobody accepted and an issue left at "discovered", both from Monday,
    admin = CommunityAdminFactory(grid_node=community)
    resident = ResidentFactory(grid_node=community)
    unit = MemberUnitFactory(grid_node=community)
    MenuItemFactory(provider_unit=unit, grid_scope=community)
    operator = UnitOperatorFactory(unit=unit, grid_node=community)
    order = actions.submit_order(by=resident, category=category("elderly"), text="帮老人送午饭", now=MONDAY)
    issue = actions.report_issue(by=resident, title="井盖缺失", text="东门井盖缺失", grid_node=micro_grid, now=MONDAY)
    # When the worker runs each sweep twice with the clock a week ahead,
    later = (MONDAY + datetime.timedelta(days=7)).isoformat()
    for _ in range(2):
        remind_unaccepted_orders_task.delay(now=later)
        escalate_overdue_issues_task.delay(now=later)
    # Then each notice arrives, and only once.
    assert wait_for(lambda: Notification.objects.filter(key=f"order:{order.pk}:escalate").exists())
    assert wait_for(lambda: Issue.objects.get(pk=issue.pk).level == Issue.Level.COMMUNITY)
    remind_unaccepted_orders_task.delay(now=later)
    time.sleep(2)
    assert Notification.objects.filter(recipient=operator, key=f"order:{order.pk}:remind").count() == 1
    assert Notification.objects.filter(recipient=admin, key=f"order:{order.pk}:escalate").count() == 1
    assert Notification.objects.filter(recipient=admin, key=f"issue:{issue.pk}:escalate:2").count() == 1
    # One level per sweep and limit: the restarted step is not yet over its limit again.
    assert Issue.objects.get(pk=issue.pk).level == Issue.Level.COMMUNITY
