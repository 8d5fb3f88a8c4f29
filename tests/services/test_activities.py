"""Activities: sign-up with capacity, cancel, check-in."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from alliance.core.errors import Conflict
from services import actions
from services.models import ActivitySignup
from tests.members.factories import ResidentFactory
from tests.services.factories import ActivityFactory


@pytest.fixture
def activity(community):
    return ActivityFactory(grid_node=community, capacity=2)


def test_sign_up_cancel_and_sign_up_again(activity, resident):
    actions.sign_up(by=resident, activity=activity)
    with pytest.raises(ValidationError, match="已报名"):
        actions.sign_up(by=resident, activity=activity)
    actions.cancel_signup(by=resident, activity=activity)
    assert activity.signups.get().status == ActivitySignup.Status.CANCELLED
    actions.sign_up(by=resident, activity=activity)
    assert activity.signups.get().status == ActivitySignup.Status.SIGNED_UP


def test_full_activity_answers_conflict(activity, community):
    for _ in range(2):
        actions.sign_up(by=ResidentFactory(grid_node=community), activity=activity)
    with pytest.raises(Conflict, match="名额已满"):
        actions.sign_up(by=ResidentFactory(grid_node=community), activity=activity)


def test_no_sign_up_or_cancel_after_start(activity, resident):
    actions.sign_up(by=resident, activity=activity)
    later = activity.starts_at + datetime.timedelta(minutes=5)
    with pytest.raises(ValidationError):
        actions.cancel_signup(by=resident, activity=activity, now=later)
    with pytest.raises(ValidationError):
        actions.sign_up(by=ResidentFactory(grid_node=activity.grid_node), activity=activity, now=later)


def test_cancelling_without_a_sign_up_is_refused(activity, resident):
    with pytest.raises(ValidationError):
        actions.cancel_signup(by=resident, activity=activity)


def test_staff_check_in_on_the_day_once(activity, resident, grid_worker):
    signup = actions.sign_up(by=resident, activity=activity)
    with pytest.raises(ValidationError, match="签到"):
        actions.check_in(by=grid_worker, signup=signup, now=timezone.now())
    on_the_day = activity.starts_at + datetime.timedelta(minutes=10)
    signup = actions.check_in(by=grid_worker, signup=signup, now=on_the_day)
    assert signup.checked_in_by == grid_worker
    with pytest.raises(ValidationError, match="已签到"):
        actions.check_in(by=grid_worker, signup=signup, now=on_the_day)


@pytest.mark.parametrize("role", ["resident", "unit_operator", "other_community_admin"])
def test_check_in_refused_to_others(request, activity, role, community):
    signup = actions.sign_up(by=ResidentFactory(grid_node=community), activity=activity)
    with pytest.raises(PermissionDenied):
        actions.check_in(by=request.getfixturevalue(role), signup=signup, now=activity.starts_at)


def test_organising_unit_may_check_in(activity, unit_operator, resident):
    activity.organiser_unit = unit_operator.unit
    activity.save()
    signup = actions.sign_up(by=resident, activity=activity)
    assert actions.check_in(by=unit_operator, signup=signup, now=activity.starts_at).checked_in_at


def test_cancelled_activity_takes_no_sign_ups(activity, resident):
    activity.status = "cancelled"
    activity.save()
    with pytest.raises(ValidationError, match="已取消"):
        actions.sign_up(by=resident, activity=activity)
