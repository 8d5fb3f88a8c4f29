"""A unit publishes activities at its own venues from the workspace; residents sign up as to any activity;
the unit edits and cancels its own activities before they start, and nobody else's."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from alliance.core.models import Notification
from services import actions
from services.models import Activity, ActivitySignup
from tests.members.factories import MemberUnitFactory, ResidentFactory, UnitOperatorFactory
from tests.services.factories import ActivityFactory, BookingFactory, RoomFactory


def _at(days=3, hour=14):
    day = timezone.localdate() + datetime.timedelta(days=days)
    start = datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())
    return start, start + datetime.timedelta(hours=2)


@pytest.fixture
def venue(unit):
    return RoomFactory(station=None, unit=unit, name="职工之家", capacity=40)


def _fields(room=None, **over):
    start, end = _at()
    fields = {
        "title": "职工之家开放日·非遗剪纸体验",
        "kind": Activity.Kind.VOLUNTEER,
        "room": room,
        "place": "",
        "starts_at": start,
        "ends_at": end,
        "capacity": 30,
        "points": 2,
        "description": "单位职工之家向居民开放，剪纸老师现场教学。",
    }
    fields.update(over)
    return fields


def test_unit_publishes_at_its_room_and_residents_sign_up(unit_operator, venue, resident):
    activity = actions.create_unit_activity(by=unit_operator, **_fields(venue))
    assert activity.status == Activity.Status.PUBLISHED  # published at once: the unit's own venue
    assert activity.organiser_unit == unit_operator.unit and activity.organiser == unit_operator.unit.name
    assert activity.grid_node_id == venue.grid_node_id and activity.place == str(venue)
    assert actions.sign_up(by=resident, activity=activity).status == ActivitySignup.Status.SIGNED_UP


def test_a_unit_may_name_a_place_instead_of_a_room(unit_operator):
    activity = actions.create_unit_activity(by=unit_operator, **_fields(place="舜耕山庄广场"))
    assert activity.place == "舜耕山庄广场" and activity.grid_node_id == unit_operator.unit.grid_node_id


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"capacity": 41}, "capacity"),  # more than the room holds
        ({"points": 9}, "points"),
        ({"title": "  "}, "title"),
        ({"starts_at": timezone.now() - datetime.timedelta(hours=1)}, "starts_at"),
    ],
)
def test_refusals_are_field_errors(unit_operator, venue, over, field):
    with pytest.raises(ValidationError) as refused:
        actions.create_unit_activity(by=unit_operator, **_fields(venue, **over))
    assert field in refused.value.message_dict


def test_only_the_units_own_rooms(unit_operator, community):
    theirs = RoomFactory(station=None, unit=MemberUnitFactory(grid_node=community))
    with pytest.raises(ValidationError) as refused:
        actions.create_unit_activity(by=unit_operator, **_fields(theirs))
    assert "room" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        actions.create_unit_activity(by=unit_operator, **_fields(None))
    assert "place" in refused.value.message_dict


def test_a_booked_slot_of_the_room_is_refused(unit_operator, venue):
    start, end = _at()
    BookingFactory(room=venue, starts_at=start, ends_at=end)
    with pytest.raises(ValidationError, match="已被预约"):
        actions.create_unit_activity(by=unit_operator, **_fields(venue))


@pytest.mark.parametrize("role", ["resident", "grid_worker", "community_admin", "street_admin"])
def test_only_unit_operators_publish(request, role, venue):
    with pytest.raises(PermissionDenied):
        actions.create_unit_activity(by=request.getfixturevalue(role), **_fields(place="广场"))


def test_the_unit_edits_its_own_future_activity_only(unit_operator, venue, community, resident):
    activity = actions.create_unit_activity(by=unit_operator, **_fields(venue))
    edited = actions.update_unit_activity(by=unit_operator, activity=activity, **_fields(venue, capacity=20))
    assert edited.capacity == 20
    actions.sign_up(by=resident, activity=activity)
    actions.sign_up(by=ResidentFactory(grid_node=community), activity=activity)
    with pytest.raises(ValidationError, match="已有2人报名"):
        actions.update_unit_activity(by=unit_operator, activity=activity, **_fields(venue, capacity=1))
    other = UnitOperatorFactory(unit=MemberUnitFactory(grid_node=community), grid_node=community)
    with pytest.raises(PermissionDenied):
        actions.update_unit_activity(by=other, activity=activity, **_fields(place="别处"))
    started = ActivityFactory(
        organiser_unit=unit_operator.unit, starts_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    with pytest.raises(ValidationError, match="已开始"):
        actions.update_unit_activity(by=unit_operator, activity=started, **_fields(venue))


def test_the_unit_cancels_its_own_and_people_signed_up_hear_why(unit_operator, venue, resident, community):
    activity = actions.create_unit_activity(by=unit_operator, **_fields(venue))
    actions.sign_up(by=resident, activity=activity)
    other = UnitOperatorFactory(unit=MemberUnitFactory(grid_node=community), grid_node=community)
    with pytest.raises(PermissionDenied):
        actions.cancel_activity(by=other, activity=activity, reason="x")
    with pytest.raises(PermissionDenied):
        actions.cancel_activity(by=resident, activity=activity, reason="x")
    actions.cancel_activity(by=unit_operator, activity=activity, reason="场地临时检修")
    activity.refresh_from_db()
    assert activity.status == Activity.Status.CANCELLED
    note = Notification.objects.get(recipient=resident)
    assert "场地临时检修" in note.body


def test_community_staff_can_still_cancel_a_units_activity(unit_operator, venue, community_admin):
    activity = actions.create_unit_activity(by=unit_operator, **_fields(venue))
    actions.cancel_activity(by=community_admin, activity=activity, reason="与社区安排冲突")
    activity.refresh_from_db()
    assert activity.status == Activity.Status.CANCELLED


def _post(start, end, room=None, **over):
    data = {
        "title": "职工之家开放日",
        "kind": "volunteer",
        "room": room.pk if room else "",
        "place": "",
        "starts_at": timezone.localtime(start).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(end).strftime("%Y-%m-%dT%H:%M"),
        "capacity": 30,
        "points": 2,
        "description": "",
    }
    data.update(over)
    return data


def test_workspace_pages(client, unit_operator, venue, resident, django_assert_num_queries):
    client.force_login(unit_operator)
    start, end = _at()
    page = client.get(reverse("services_ws:unit_activity_new"))
    assert "职工之家" in page.content.decode()  # the unit's room is offered
    response = client.post(reverse("services_ws:unit_activity_new"), _post(start, end, venue, capacity=99))
    assert "名额不能超过场地容纳人数（40人）" in response.content.decode()
    response = client.post(reverse("services_ws:unit_activity_new"), _post(start, end, venue), follow=True)
    assert "活动已发布" in response.content.decode()
    activity = Activity.objects.get()
    # session, user, count, page (with sign-up counts)
    with django_assert_num_queries(4):
        assert client.get(reverse("services_ws:unit_activities")).status_code == 200
    for _ in range(6):
        ActivityFactory(organiser_unit=unit_operator.unit, grid_node=venue.grid_node)
    with django_assert_num_queries(4):
        assert client.get(reverse("services_ws:unit_activities")).status_code == 200
    response = client.post(
        reverse("services_ws:unit_activity_edit", args=[activity.pk]), _post(start, end, venue, capacity=25)
    )
    activity.refresh_from_db()
    assert activity.capacity == 25
    client.post(reverse("services_ws:unit_activity_cancel", args=[activity.pk]), {"reason": "天气原因"})
    activity.refresh_from_db()
    assert activity.status == Activity.Status.CANCELLED

    other = UnitOperatorFactory(unit=MemberUnitFactory(grid_node=venue.grid_node), grid_node=venue.grid_node)
    client.force_login(other)
    assert client.get(reverse("services_ws:unit_activity_edit", args=[activity.pk])).status_code == 404
    client.force_login(resident)
    assert client.get(reverse("services_ws:unit_activities")).status_code == 403


def test_a_units_activity_is_in_the_activities_api(client, unit_operator, venue):
    activity = actions.create_unit_activity(by=unit_operator, **_fields(venue))
    rows = client.get("/api/v1/activities/", {"organiser_unit": unit_operator.unit_id}).json()["results"]
    assert [(row["id"], row["organiser_unit"]) for row in rows] == [(activity.pk, unit_operator.unit_id)]
