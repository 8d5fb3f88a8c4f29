"""The API's creates make few round trips (issue 19, writes under 16 clients), with the same answers as before.

Each create is counted with the API's own token authentication (BEGIN and COMMIT count too): the answer is
built from the created rows in memory, no SAVEPOINT inside the request's transaction, the resident's grid
node and the operator's unit come with the token. The answer must equal what reading the row again gives.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from alliance.core.errors import Conflict
from projects import actions as project_actions
from projects import categories
from projects.models import Claim, Project
from services.models import Booking, Issue, Order
from tests.projects.factories import ProjectFactory
from tests.services.factories import MenuItemFactory, RoomFactory
from tests.services.test_api import jpeg_with_gps


@pytest.fixture(autouse=True)
def published(monkeypatch) -> list:
    """The dispatch goes to the worker, as in a deployment (counted here: what the request itself costs)."""
    from alliance.core import enqueue, events

    sent: list = []
    monkeypatch.setattr(events, "IN_WORKER", True)
    monkeypatch.setattr(enqueue, "publish", lambda *args, **kwargs: sent.append(args))
    return sent


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_an_order_is_placed_in_nine_queries_and_answered_as_read_again(
    resident, unit, community, django_assert_max_num_queries
):
    item = MenuItemFactory(provider_unit=unit, grid_scope=community)
    client = token_client(resident)
    body = {"menu_item": item.pk, "wanted_on": str(timezone.localdate()), "text": "  下午来  "}
    # The item's category comes from the process's copy (projects.categories), read at most once a minute and
    # forgotten as each test starts: read here, the order is counted as a warm process places it.
    categories.category(item.category_id)
    with django_assert_max_num_queries(9):  # the item is read once, under its lock
        r = client.post("/api/v1/orders/", body, format="json")
    assert r.status_code == 201, r.content
    order = Order.objects.get()
    assert r.json() == client.get(f"/api/v1/orders/{order.pk}/").json()
    assert [e["kind"] for e in r.json()["events"]] == ["submitted"]
    assert order.history.count() == 1  # the audit row stays


def test_an_issue_is_reported_in_seven_queries_and_answered_as_read_again(
    resident, micro_grid, settings, tmp_path, django_assert_max_num_queries
):
    client = token_client(resident)
    with django_assert_max_num_queries(7):
        r = client.post("/api/v1/issues/", {"title": "路灯不亮", "text": "3号楼前"}, format="json")
    assert r.status_code == 201, r.content
    assert r.json() == client.get(f"/api/v1/issues/{r.json()['id']}/").json()
    settings.MEDIA_ROOT = tmp_path
    photo = SimpleUploadedFile("路灯.jpg", jpeg_with_gps(), content_type="image/jpeg")
    body = {"title": "井盖松动", "text": "5号楼", "grid_node": micro_grid.pk, "photos": [photo]}
    r = client.post("/api/v1/issues/", body, format="multipart")
    assert r.status_code == 201, r.content
    assert len(r.json()["photos"]) == 1
    assert r.json() == client.get(f"/api/v1/issues/{r.json()['id']}/").json()
    # Published at once: the answer shows the publication on its timeline, as before.
    r = client.post("/api/v1/issues/", {"title": "垃圾", "text": "没清", "is_public": True}, format="json")
    assert r.status_code == 201 and r.json()["is_public"] is True
    assert r.json() == client.get(f"/api/v1/issues/{r.json()['id']}/").json()
    assert Issue.history.count() >= 3


def test_a_unit_claims_in_seven_queries_and_a_full_project_leaves_nothing(
    unit_operator, community, django_assert_max_num_queries
):
    project = ProjectFactory(grid_node=community, capacity=1)
    client = token_client(unit_operator)
    with django_assert_max_num_queries(7):  # the lock, the place, the claim and its history: no read of its claims
        r = client.post(f"/api/v1/projects/{project.pk}/claim/", {"note": "我们来"}, format="json")
    assert r.status_code == 201, r.content
    # Claiming again is refused (409) and the refused request leaves nothing behind.
    assert client.post(f"/api/v1/projects/{project.pk}/claim/").status_code == 409
    assert Claim.objects.count() == 1
    assert Project.objects.get(pk=project.pk).active_claims == 1


def test_an_order_of_a_missing_or_withdrawn_item_is_told_so_by_the_item(resident, unit, community):
    client = token_client(resident)
    withdrawn = MenuItemFactory(provider_unit=unit, grid_scope=community, is_active=False)
    r = client.post("/api/v1/orders/", {"menu_item": withdrawn.pk}, format="json")
    assert r.status_code == 400 and r.json()["menu_item"] == ["该服务已下架。"]
    r = client.post("/api/v1/orders/", {"menu_item": withdrawn.pk + 1000}, format="json")
    assert r.status_code == 400 and r.json()["menu_item"] == ["没有这项服务，请从服务菜单中选择。"]
    for bad in (0, -1, "一", 2**63, True, None, [1]):
        r = client.post("/api/v1/orders/", {"menu_item": bad, "text": "修水管"}, format="json")
        assert r.status_code == 400 and "menu_item" in r.json(), bad
    assert not Order.objects.exists()


def test_a_units_second_claim_is_told_by_the_unique_rule_with_nothing_left_behind(unit_operator, community):
    """No read of the unit's claims before the insert: the unique (project, unit) refuses a second claim, with the
    unit's answer (not "full"), through the API and the action alike, and the place it took is given back."""
    project = ProjectFactory(grid_node=community, capacity=5)
    client = token_client(unit_operator)
    assert client.post(f"/api/v1/projects/{project.pk}/claim/", format="json").status_code == 201
    r = client.post(f"/api/v1/projects/{project.pk}/claim/", format="json")
    assert r.status_code == 409 and r.json()["detail"] == "本单位已认领过该项目。"
    with pytest.raises(Conflict, match="本单位已认领过该项目"):
        project_actions.claim_project(by=unit_operator, project=project)
    assert Claim.objects.filter(project=project).count() == 1
    assert Project.objects.get(pk=project.pk).active_claims == 1


@pytest.mark.parametrize("capacity", [1, 5], ids=["full", "claimed"])
def test_a_refused_claim_outside_the_api_keeps_the_callers_transaction_usable(unit_operator, community, capacity):
    """Refused as full, or by the unique rule (an insert the database turned down): the action's savepoint is
    rolled back, and a page or a job goes on with its own transaction."""
    project = ProjectFactory(grid_node=community, capacity=capacity)
    project_actions.claim_project(by=unit_operator, project=project)
    with transaction.atomic():
        with pytest.raises(Conflict, match="本单位已认领过该项目"):
            project_actions.claim_project(by=unit_operator, project=project)
        assert Claim.objects.filter(project=project).count() == 1
        assert Project.objects.get(pk=project.pk).active_claims == 1


def test_a_room_is_booked_in_nine_queries(resident, community, django_assert_max_num_queries):
    room = RoomFactory(station__grid_node=community)
    start = datetime.datetime.combine(
        timezone.localdate() + datetime.timedelta(days=2), datetime.time(10), tzinfo=timezone.get_current_timezone()
    )
    body = {
        "room": room.pk,
        "starts_at": start.isoformat(),
        "ends_at": (start + datetime.timedelta(hours=1)).isoformat(),
        "purpose": "议事",
    }
    client = token_client(resident)
    with django_assert_max_num_queries(9):
        assert client.post("/api/v1/bookings/", body, format="json").status_code == 201
    assert client.post("/api/v1/bookings/", body, format="json").status_code == 409
    assert Booking.objects.count() == 1
