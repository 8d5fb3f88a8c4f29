"""Grid depth: exactly three levels, in the model and in the admin form."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from grids.models import GridNode
from tests.grids.factories import MicroGridFactory


def node_form(**over):
    data = {
        "name": "新网格",
        "code": "NEW-001",
        "level": 3,
        "kind": "micro_grid",
        "parent": "",
        "description": "",
        "households": 0,
        "population": 0,
        "sort_order": 0,
        "boundary": "",
        "roles-TOTAL_FORMS": 0,
        "roles-INITIAL_FORMS": 0,
        "teams-TOTAL_FORMS": 0,
        "teams-INITIAL_FORMS": 0,
    }
    data.update(over)
    return data


def add(client, **over):
    return client.post(reverse("admin:grids_gridnode_add"), node_form(**over))


def test_a_fourth_level_is_refused_by_the_model(micro_grid):
    node = GridNode(name="第四级", code="X4", level=3, kind=GridNode.Kind.MICRO_GRID, parent=micro_grid)

    with pytest.raises(ValidationError) as error:
        node.full_clean()

    assert "上级网格的层级不对" in error.value.message_dict["parent"][0]


def test_a_community_under_a_micro_grid_is_refused_by_the_model(micro_grid):
    node = GridNode(name="错层社区", code="X2", level=2, kind=GridNode.Kind.COMMUNITY, parent=micro_grid)

    with pytest.raises(ValidationError) as error:
        node.full_clean()

    assert "社区的上级必须是街道" in error.value.message_dict["parent"][0]


def test_a_micro_grid_without_parent_and_a_kind_of_the_wrong_level_are_refused(community):
    orphan = GridNode(name="孤儿", code="X3", level=3, kind=GridNode.Kind.MICRO_GRID)
    wrong_kind = GridNode(name="错类型", code="X5", level=3, kind=GridNode.Kind.COMMUNITY, parent=community)

    with pytest.raises(ValidationError) as orphan_error:
        orphan.full_clean()
    with pytest.raises(ValidationError) as kind_error:
        wrong_kind.full_clean()

    assert "必须选择上级网格" in orphan_error.value.message_dict["parent"][0]
    assert "类型与层级不符" in kind_error.value.message_dict["kind"][0]


def test_admin_form_refuses_a_fourth_level(client, superuser, micro_grid):
    client.force_login(superuser)

    response = add(client, parent=micro_grid.pk)

    assert response.status_code == 200
    assert "上级网格的层级不对" in str(response.context["adminform"].form.errors["parent"])
    assert not GridNode.objects.filter(code="NEW-001").exists()


def test_admin_form_refuses_a_community_under_a_micro_grid_and_a_level_4(client, superuser, micro_grid):
    client.force_login(superuser)

    community_under_micro = add(client, parent=micro_grid.pk, level=2, kind="community")
    level_four = add(client, parent=micro_grid.pk, level=4)

    assert "parent" in community_under_micro.context["adminform"].form.errors
    assert "level" in level_four.context["adminform"].form.errors
    assert not GridNode.objects.filter(code="NEW-001").exists()


def test_community_admin_adds_a_micro_grid_in_their_community(client, community_admin, community):
    client.force_login(community_admin)

    response = add(client, parent=community.pk)

    assert response.status_code == 302
    node = GridNode.objects.get(code="NEW-001")
    assert node.path.startswith(community.path) and node.street_id == community.street_id


def test_community_admin_cannot_create_a_street(client, community_admin):
    client.force_login(community_admin)

    response = add(client, level=1, kind="street")

    assert "只有系统管理员可以新建街道" in str(response.context["adminform"].form.errors["parent"])
    assert not GridNode.objects.filter(code="NEW-001").exists()


def test_community_admin_edits_their_community_without_moving_it(client, community_admin, community):
    client.force_login(community_admin)
    url = reverse("admin:grids_gridnode_change", args=[community.pk])

    form = client.get(url).context["adminform"].form
    response = client.post(url, node_form(name="舜园社区(新)", households=1200))

    assert "parent" not in form.fields and "level" not in form.fields
    assert response.status_code == 302
    community.refresh_from_db()
    assert community.name == "舜园社区(新)" and community.households == 1200 and community.level == 2


def test_grid_node_history_renders_with_changes(client, superuser, community):
    client.force_login(superuser)
    MicroGridFactory(parent=community)
    client.post(
        reverse("admin:grids_gridnode_change", args=[community.pk]),
        node_form(name="改名社区", code=community.code, level=2, kind="community", parent=community.parent_id),
    )

    page = client.get(reverse("admin:grids_gridnode_history", args=[community.pk])).content.decode()

    assert "改名社区" in page and "舜园社区" in page and "名称" in page
