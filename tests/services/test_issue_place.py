"""The issue form's place: picked on the map (the point fills the micro-grid, checked on the server) or chosen
in two steps, community then micro-grid."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from grids.actions import set_boundary
from services import actions
from services.models import Issue
from tests.grids.factories import CommunityFactory, MicroGridFactory
from tests.grids.test_boundaries import polygon

NEW = "/services/issues/new/"


@pytest.fixture
def grids(superuser, community, other_community):
    west = MicroGridFactory(parent=community, name="西片微网格")
    east = MicroGridFactory(parent=other_community, name="东片微网格")
    plain = MicroGridFactory(parent=community, name="未划边界的微网格")
    set_boundary(by=superuser, node=west, geometry=polygon(117.0, 36.6))
    set_boundary(by=superuser, node=east, geometry=polygon(117.004, 36.6))
    return {"west": west, "east": east, "plain": plain}


def post(client, **place):
    return client.post(NEW, {"title": "井盖松动", "text": "小区北门井盖松动，夜里有人差点绊倒。", **place})


def test_a_point_picked_on_the_map_fills_the_micro_grid_and_is_kept(client, resident, grids):
    client.force_login(resident)

    response = post(client, lat="36.602", lng="117.006")

    assert response.status_code == 302
    issue = Issue.objects.get(reporter=resident)
    assert issue.grid_node == grids["east"]
    assert (issue.lat, issue.lng) == (Decimal("36.602000"), Decimal("117.006000"))
    assert issue.level == Issue.Level.MICRO


def test_a_point_inside_the_chosen_micro_grid_is_accepted(client, resident, grids, community):
    client.force_login(resident)

    response = post(client, lat="36.6011", lng="117.0011", community=community.pk, micro_grid=grids["west"].pk)

    assert response.status_code == 302
    assert Issue.objects.get(reporter=resident).grid_node == grids["west"]


def test_a_micro_grid_that_does_not_hold_the_point_is_refused(client, resident, grids, community):
    client.force_login(resident)

    response = post(client, lat="36.602", lng="117.006", community=community.pk, micro_grid=grids["west"].pk)

    assert response.status_code == 200
    assert "不包含地图上标出的位置" in str(response.context["form"].errors["micro_grid"])
    assert not Issue.objects.exists()


def test_a_chosen_community_and_a_point_in_one_of_its_grids_give_that_grid(client, resident, grids, community):
    client.force_login(resident)

    post(client, lat="36.6011", lng="117.0011", community=community.pk)

    assert Issue.objects.get(reporter=resident).grid_node == grids["west"]


def test_a_point_outside_every_boundary_needs_a_grid_chosen_by_hand(client, resident, grids, community):
    client.force_login(resident)

    refused = post(client, lat="36.7", lng="117.3")
    chosen = post(client, lat="36.7", lng="117.3", community=community.pk, micro_grid=grids["plain"].pk)

    assert "请选择所在的社区和微网格" in str(refused.context["form"].errors["micro_grid"])
    assert chosen.status_code == 302  # a grid with no boundary cannot be checked: the person's choice stands
    assert Issue.objects.get(reporter=resident).grid_node == grids["plain"]


def test_without_the_map_the_two_step_choice_is_enough(client, resident, grids, community):
    client.force_login(resident)

    response = post(client, community=community.pk, micro_grid=grids["plain"].pk)

    assert response.status_code == 302
    issue = Issue.objects.get(reporter=resident)
    assert (issue.grid_node, issue.lat, issue.lng) == (grids["plain"], None, None)


def test_a_micro_grid_of_another_community_is_refused(client, resident, grids, community):
    client.force_login(resident)

    response = post(client, community=community.pk, micro_grid=grids["east"].pk)

    assert "不属于所选社区" in str(response.context["form"].errors["micro_grid"])


@pytest.mark.parametrize(
    "place",
    [
        {"lat": "36.6"},
        {"lat": "91", "lng": "117"},
        {"lat": "36.6", "lng": "181"},
        {"lat": "nan", "lng": "117"},
        {"lat": "1e400", "lng": "117"},
        {"lat": "36.1234567", "lng": "117"},
        {"lat": "abc", "lng": "def"},
    ],
)
def test_a_bad_point_is_refused_on_the_form(client, resident, grids, place):
    client.force_login(resident)

    response = post(client, **place)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Issue.objects.exists()


def test_the_action_checks_the_point_too(resident, grids):
    with pytest.raises(ValidationError) as error:
        actions.report_issue(by=resident, title="x", text="y", lat="95", lng="117")
    assert "超出经纬度范围" in str(error.value)

    grids["west"].refresh_from_db()  # its boundary, as the form reads it
    with pytest.raises(ValidationError) as error:
        actions.report_issue(by=resident, title="x", text="y", grid_node=grids["west"], lat="36.602", lng="117.006")
    assert "不包含" in str(error.value.message_dict["grid_node"])

    issue = actions.report_issue(by=resident, title="x", text="y", lat=Decimal("36.602"), lng=Decimal("117.0061234"))
    assert (issue.grid_node, issue.lng) == (grids["east"], Decimal("117.006123"))


def test_the_form_offers_the_residents_street_in_two_steps(client, resident, grids, community, other_community):
    elsewhere = CommunityFactory(name="别的街道的社区")
    MicroGridFactory(parent=elsewhere, name="别处微网格")
    client.force_login(resident)

    response = client.get(NEW)
    form = response.context["form"]
    html = response.content.decode()

    assert set(form.fields["community"].queryset) == {community, other_community}
    assert "别处微网格" not in html
    assert 'data-parent-select="id_community"' in html
    assert f"{grids['west'].pk}:{community.pk}" in html  # data-parents, for portal.js
    assert '<optgroup label="舜园社区">' in html
    assert "使用我的位置" in html and 'data-map="picker"' in html
    assert "grid_node" not in form.fields


def test_staff_recording_an_issue_keep_one_list_of_their_subtree(client, grid_worker, grids):
    client.force_login(grid_worker)

    form = client.get("/workspace/services/issues/new/").context["form"]

    assert "grid_node" in form.fields and "micro_grid" not in form.fields


def test_the_api_takes_the_point_too_and_shows_it_to_the_reporter(resident, grids):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(resident)

    made = client.post("/api/v1/issues/", {"title": "井盖松动", "text": "北门井盖", "lat": "36.602", "lng": "117.006"})
    refused = client.post("/api/v1/issues/", {"title": "井盖松动", "text": "北门井盖", "lat": "90.5", "lng": "117"})

    assert made.status_code == 201
    assert made.json()["grid_node"] == grids["east"].pk
    assert made.json()["point"] == {"lat": 36.602, "lng": 117.006}
    assert refused.status_code == 400 and "lat" in refused.json()
