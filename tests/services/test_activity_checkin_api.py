"""Activity check-in through the API alone: the organiser or staff read the sign-up sheet and check people in
by sign-up, account or phone; points once; everyone else refused before learning who signed up."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from alliance.points.models import PointsEntry
from members.models import User
from tests.members.factories import (
    MemberUnitFactory,
    PartyMemberFactory,
    ResidentFactory,
    UnitOperatorFactory,
    UserFactory,
)
from tests.services.factories import ActivityFactory


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def activity(community, unit):
    """Starting in half an hour: sign-up is still open and check-in already is."""
    start = timezone.now() + datetime.timedelta(minutes=30)
    return ActivityFactory(grid_node=community, organiser_unit=unit, starts_at=start)


@pytest.fixture
def member(community, unit, activity):
    user = UserFactory(role="party_member", grid_node=community, phone="13953109876")
    PartyMemberFactory(user=user, community=community, unit=unit)
    assert api(user).post(f"/api/v1/activities/{activity.pk}/signup/").status_code == 200
    return user


@pytest.mark.parametrize("staff", ["grid_worker", "community_admin", "unit_operator"])
def test_the_organiser_or_staff_read_the_sheet_and_check_in_by_sign_up(request, activity, member, staff):
    client = api(request.getfixturevalue(staff))
    sheet = client.get(f"/api/v1/activities/{activity.pk}/signups/")
    assert sheet.status_code == 200 and sheet.json()["count"] == 1
    line = sheet.json()["results"][0]
    assert (line["user"], line["phone"], line["status"], line["checked_in_at"]) == (
        member.pk,
        "13953109876",
        "signed_up",
        None,
    )
    r = client.post(f"/api/v1/activities/{activity.pk}/check-in/", {"signup": line["id"]}, format="json")
    assert r.status_code == 200 and r.json()["user"] == member.pk and r.json()["checked_in_at"]
    assert client.get(f"/api/v1/activities/{activity.pk}/signups/").json()["results"][0]["checked_in_at"]


def test_check_in_by_account_or_phone_awards_points_once(activity, member, grid_worker):
    client = api(grid_worker)
    r = client.post(f"/api/v1/activities/{activity.pk}/check-in/", {"phone": "139 5310 9876"}, format="json")
    assert r.status_code == 200, r.content
    assert PointsEntry.objects.filter(member__user=member).count() == 1
    again = client.post(f"/api/v1/activities/{activity.pk}/check-in/", {"user": member.pk}, format="json")
    assert again.status_code == 400 and "已签到" in str(again.json())
    assert PointsEntry.objects.filter(member__user=member).count() == 1


def test_check_in_by_account(activity, member, community_admin):
    r = api(community_admin).post(f"/api/v1/activities/{activity.pk}/check-in/", {"user": member.pk}, format="json")
    assert r.status_code == 200 and r.json()["signup"]


@pytest.mark.parametrize(
    "body",
    [{}, {"user": 1, "phone": "13953109876"}, {"user": "某人"}, {"phone": "1" * 21}, [1], "13953109876", {"signup": 0}],
)
def test_bad_bodies_answer_400(activity, member, grid_worker, body):
    assert api(grid_worker).post(f"/api/v1/activities/{activity.pk}/check-in/", body, format="json").status_code == 400


def test_someone_who_did_not_sign_up_cannot_be_checked_in(activity, member, grid_worker, community):
    stranger = ResidentFactory(grid_node=community, phone="13953100000")
    for body in ({"user": stranger.pk}, {"phone": "13953100000"}, {"signup": 999999}):
        r = api(grid_worker).post(f"/api/v1/activities/{activity.pk}/check-in/", body, format="json")
        assert r.status_code == 400 and "未找到" in str(r.json())


def test_others_are_refused_before_learning_who_signed_up(activity, member, resident, other_community_admin, community):
    other_operator = UnitOperatorFactory(unit=MemberUnitFactory(grid_node=community))
    for user in (resident, member, other_community_admin, other_operator):
        client = api(user)
        assert client.get(f"/api/v1/activities/{activity.pk}/signups/").status_code == 403
        for body in ({"user": member.pk}, {"user": 999999}, {"phone": "13953109876"}):
            assert client.post(f"/api/v1/activities/{activity.pk}/check-in/", body, format="json").status_code == 403
    assert api().get(f"/api/v1/activities/{activity.pk}/signups/").status_code == 401
    assert not PointsEntry.objects.exists()


@pytest.mark.parametrize("rows", [1, 6])
def test_the_sheet_runs_a_fixed_number_of_queries(django_assert_num_queries, activity, grid_worker, community, rows):
    for _ in range(rows):
        person = ResidentFactory(grid_node=community)
        api(person).post(f"/api/v1/activities/{activity.pk}/signup/")
    client = api(User.objects.get(pk=grid_worker.pk))  # as a request loads it: the grid node not yet read
    # the activity (with its counts), the worker's grid node (scope), count, page with the people
    with django_assert_num_queries(4):
        assert client.get(f"/api/v1/activities/{activity.pk}/signups/").json()["count"] == rows
