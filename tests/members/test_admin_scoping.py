"""The scoping matrix of the admin: community admin A against community B, street against street."""

import io

import openpyxl
import pytest
from django.urls import reverse

from alliance.core.validators import make_credit_code
from grids.models import GridNode
from members.models import MemberUnit
from tests.grids.factories import CommunityFactory, GridRoleFactory, MicroGridFactory, StreetFactory, TeamFactory
from tests.members.factories import (
    CommunityAdminFactory,
    MemberUnitFactory,
    PartyMemberFactory,
    PartyOrganizationFactory,
    ResidentFactory,
)


@pytest.fixture
def world(street, community, other_community, micro_grid):
    """Community A (with a micro-grid), community B in the same street, and a second street."""
    far_street = StreetFactory(name="西站街道")
    far_community = CommunityFactory(parent=far_street, name="西站社区")
    units = {
        "a": MemberUnitFactory(grid_node=community, name="甲社区单位"),
        "a_micro": MemberUnitFactory(grid_node=micro_grid, name="甲微网格单位"),
        "b": MemberUnitFactory(grid_node=other_community, name="乙社区单位"),
        "far": MemberUnitFactory(grid_node=far_community, name="西站单位"),
    }
    return {"far_street": far_street, "far_community": far_community, **units}


def changelist(client, model="memberunit", app="members", **params):
    return client.get(reverse(f"admin:{app}_{model}_changelist"), params)


def test_community_admin_list_shows_only_own_subtree(client, community_admin, world):
    client.force_login(community_admin)

    page = changelist(client).content.decode()

    assert "甲社区单位" in page and "甲微网格单位" in page
    assert "乙社区单位" not in page and "西站单位" not in page


def test_community_admin_search_does_not_find_other_communities(client, community_admin, world):
    client.force_login(community_admin)

    page = changelist(client, q="乙社区").content.decode()

    assert "乙社区单位" not in page


@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_community_admin_gets_404_for_another_communitys_unit(client, community_admin, world, view):
    client.force_login(community_admin)

    response = client.get(reverse(f"admin:members_memberunit_{view}", args=[world["b"].pk]))

    assert response.status_code == 404
    assert "乙社区单位" not in response.content.decode()


def test_community_admin_cannot_delete_another_communitys_unit_by_post(client, community_admin, world):
    client.force_login(community_admin)

    response = client.post(reverse("admin:members_memberunit_delete", args=[world["b"].pk]), {"post": "yes"})

    assert response.status_code == 404
    assert MemberUnit.objects.filter(pk=world["b"].pk).exists()


def test_history_of_a_deleted_foreign_unit_stays_hidden(client, community_admin, world):
    pk = world["b"].pk
    world["b"].delete()
    client.force_login(community_admin)

    assert client.get(reverse("admin:members_memberunit_history", args=[pk])).status_code == 404


def test_foreign_key_choices_are_limited_to_the_subtree(client, community_admin, community, micro_grid, world):
    client.force_login(community_admin)

    unit_form = client.get(reverse("admin:members_memberunit_add")).context["adminform"].form
    member_form = client.get(reverse("admin:members_partymember_add")).context["adminform"].form

    grid_choices = set(unit_form.fields["grid_node"].queryset)
    assert grid_choices == {community, micro_grid}
    assert set(member_form.fields["unit"].queryset) == {world["a"], world["a_micro"]}
    assert set(member_form.fields["community"].queryset) == {community, micro_grid}


def test_unit_posted_into_another_community_is_refused(client, community_admin, other_community):
    client.force_login(community_admin)
    data = {
        "name": "越界单位",
        "kind": "state_firm",
        "credit_code": make_credit_code("91370102000000777"),
        "grid_node": other_community.pk,
        "contact_name": "王",
        "contact_phone": "13812340000",
        "joined_on": "2024-01-01",
        "status": "active",
        "star_rating": 0,
        "party_organization-TOTAL_FORMS": 0,
        "party_organization-INITIAL_FORMS": 0,
        "pairings-TOTAL_FORMS": 0,
        "pairings-INITIAL_FORMS": 0,
    }

    response = client.post(reverse("admin:members_memberunit_add"), data)

    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not MemberUnit.objects.filter(name="越界单位").exists()


def _export_names(response) -> set[str]:
    assert response.status_code == 200, response.content[:500]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "单位名称"
    return {r[0] for r in rows[1:]}


def _export(client):
    return client.get(reverse("admin:members_memberunit_export_excel"))


def test_community_admin_export_contains_only_own_units(client, community_admin, world):
    client.force_login(community_admin)

    assert _export_names(_export(client)) == {"甲社区单位", "甲微网格单位"}


def test_street_admin_sees_and_exports_own_street_only(client, street_admin, world):
    client.force_login(street_admin)

    page = changelist(client).content.decode()

    assert "乙社区单位" in page and "甲社区单位" in page and "西站单位" not in page
    assert _export_names(_export(client)) == {"乙社区单位", "甲微网格单位", "甲社区单位"}
    far = reverse("admin:members_memberunit_change", args=[world["far"].pk])
    assert client.get(far).status_code == 404


def test_superuser_sees_everything(client, superuser, world):
    client.force_login(superuser)

    page = changelist(client).content.decode()

    assert all(name in page for name in ["甲社区单位", "乙社区单位", "西站单位"])


@pytest.mark.parametrize("who", ["grid_worker", "unit_operator", "resident"])
def test_non_admin_roles_cannot_enter_the_admin(client, request, who, world):
    client.force_login(request.getfixturevalue(who))

    index = client.get(reverse("admin:index"))
    units = changelist(client)

    assert index.status_code == 302 and "/admin/login/" in index["Location"]
    assert units.status_code == 302


def test_every_scoped_list_hides_the_other_community(client, community_admin, community, other_community):
    """Posts, teams, nodes, party organisations, party members and accounts of B stay invisible to A."""
    GridRoleFactory(node=MicroGridFactory(parent=other_community), holder_name="乙岗位人")
    TeamFactory(node=other_community, name="乙志愿队")
    PartyOrganizationFactory(unit=MemberUnitFactory(grid_node=other_community), name="乙单位党支部")
    PartyMemberFactory(community=other_community, name="乙党员")
    ResidentFactory(grid_node=other_community, display_name="乙居民")
    CommunityAdminFactory(grid_node=other_community, display_name="乙管理员")
    MicroGridFactory(parent=other_community, name="乙微网格")
    client.force_login(community_admin)

    responses = {
        (app, model): changelist(client, model, app)
        for app, model in [
            ("grids", "gridrole"),
            ("grids", "team"),
            ("grids", "gridnode"),
            ("members", "partyorganization"),
            ("members", "partymember"),
            ("members", "user"),
        ]
    }
    assert {r.status_code for r in responses.values()} == {200}
    pages = {key: r.content.decode() for key, r in responses.items()}

    for key, page in pages.items():
        assert "乙" not in page.replace("乙社区", ""), key  # nothing of B but maybe a filter label
    assert "舜华社区" not in pages[("grids", "gridnode")]
    assert community.name in pages[("grids", "gridnode")]


def test_grid_node_of_another_community_is_404(client, community_admin, other_community):
    client.force_login(community_admin)

    response = client.get(reverse("admin:grids_gridnode_change", args=[other_community.pk]))

    assert response.status_code == 404


def test_grid_node_parent_choices_exclude_the_street_and_other_community(client, community_admin, community):
    client.force_login(community_admin)

    form = client.get(reverse("admin:grids_gridnode_add")).context["adminform"].form

    assert set(form.fields["parent"].queryset) == set(GridNode.objects.subtree(community))
