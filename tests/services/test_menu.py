"""A unit publishes, edits and withdraws its own menu items; nobody else may."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from services import actions
from services.models import MenuItem
from tests.grids.factories import CommunityFactory
from tests.members.factories import MemberUnitFactory, UnitOperatorFactory
from tests.services.factories import MenuItemFactory, category


def test_unit_publishes_an_item_residents_can_order(unit_operator, community, resident):
    item = actions.save_menu_item(
        by=unit_operator, title="家电义务维修", category=category("elderly-1"), grid_scope=community, capacity_per_day=5
    )
    assert item.provider_unit == unit_operator.unit and item.is_active
    assert actions.submit_order(by=resident, menu_item=item).status == "submitted"


def test_scope_must_be_in_the_units_street(unit_operator):
    elsewhere = CommunityFactory()
    with pytest.raises(ValidationError, match="街道之内"):
        actions.save_menu_item(by=unit_operator, title="x", category=category(), grid_scope=elsewhere)


@pytest.mark.parametrize("role", ["resident", "grid_worker", "community_admin"])
def test_only_unit_operators_publish(request, role, community):
    with pytest.raises(PermissionDenied):
        actions.save_menu_item(by=request.getfixturevalue(role), title="x", category=category(), grid_scope=community)


def test_a_unit_cannot_edit_anothers_item(unit_operator, community):
    theirs = MenuItemFactory(provider_unit=MemberUnitFactory(grid_node=community), grid_scope=community)
    with pytest.raises(PermissionDenied):
        actions.save_menu_item(by=unit_operator, item=theirs, is_active=False)


def test_workspace_menu_pages(client, unit_operator, community, django_assert_num_queries):
    client.force_login(unit_operator)
    response = client.post(
        reverse("services_ws:menu_new"),
        {
            "title": "老年助餐送餐",
            "category": category().pk,
            "description": "午餐送餐上门",
            "grid_scope": community.pk,
            "availability": "工作日",
            "capacity_per_day": 10,
            "is_active": "on",
        },
        follow=True,
    )
    assert "服务已保存" in response.content.decode()
    item = MenuItem.objects.get()
    client.post(
        reverse("services_ws:menu_edit", args=[item.pk]),
        {
            "title": "老年助餐送餐",
            "category": category().pk,
            "grid_scope": community.pk,
            "availability": "工作日",
            "capacity_per_day": 10,
        },
    )
    item.refresh_from_db()
    assert not item.is_active  # unticked: withdrawn from the menu
    for _ in range(5):
        MenuItemFactory(provider_unit=unit_operator.unit, grid_scope=community)
    # session, user, count, page
    with django_assert_num_queries(4):
        assert client.get(reverse("services_ws:menu")).status_code == 200
    other = UnitOperatorFactory(unit=MemberUnitFactory(grid_node=community), grid_node=community)
    client.force_login(other)
    assert client.get(reverse("services_ws:menu_edit", args=[item.pk])).status_code == 404
