"""What keeps lists usable at city scale: capped counts in the admin, grid pickers in two steps.

The limits are lowered here so that a handful of rows stands in for a city's thousands.
"""

import pytest
from django.test import Client

from alliance.core.admin_base import CappedCountPaginator
from grids import selectors as grid_selectors
from tests.grids.factories import CommunityFactory, StreetFactory
from tests.members.factories import MemberUnitFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(superuser):
    client = Client()
    client.force_login(superuser)
    return client


def test_a_big_change_list_is_counted_only_up_to_the_cap(admin_client, community, monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "COUNT_CAP", 3)
    for _ in range(5):
        MemberUnitFactory(grid_node=community)

    page = admin_client.get("/admin/members/memberunit/").content.decode()

    assert "3+ " in page
    assert page.count('class="action-select"') == 5  # every row still listed (50 a page)


def test_a_small_change_list_shows_its_exact_count(admin_client, community, monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "COUNT_CAP", 3)
    for _ in range(2):
        MemberUnitFactory(grid_node=community)

    page = admin_client.get("/admin/members/memberunit/").content.decode()

    assert "3+" not in page and "2 " in page


@pytest.fixture
def city(monkeypatch):
    """Two streets of two communities each, with the picker's limit below the number of nodes."""
    monkeypatch.setattr(grid_selectors, "FILTER_NODES_LIMIT", 3)
    streets = [StreetFactory(name=name) for name in ("舜玉路街道", "西站街道")]
    communities = {
        street.name: [CommunityFactory(parent=street, name=f"{street.name[:2]}{i}社区") for i in (1, 2)]
        for street in streets
    }
    return streets, communities


def test_the_admin_grid_filter_offers_streets_then_the_chosen_street_s_communities(admin_client, city):
    (shunyu, xizhan), communities = city
    MemberUnitFactory(grid_node=communities["舜玉路街道"][0], name="舜玉单位")
    MemberUnitFactory(grid_node=communities["西站街道"][0], name="西站单位")
    shunyu1, shunyu2 = communities["舜玉路街道"]
    xizhan1, _ = communities["西站街道"]

    def offered(page, node):
        return f"grid_node_in={node.pk}" in page

    first = admin_client.get("/admin/members/memberunit/").content.decode()
    assert offered(first, shunyu) and offered(first, xizhan)
    assert not offered(first, shunyu1) and not offered(first, xizhan1)

    chosen = admin_client.get(f"/admin/members/memberunit/?grid_node_in={shunyu.pk}").content.decode()
    assert offered(chosen, shunyu1) and offered(chosen, shunyu2) and not offered(chosen, xizhan1)
    assert "舜玉单位" in chosen and "西站单位" not in chosen  # the filter keeps the street's subtree


def test_the_public_project_filter_picks_in_two_steps_too(city):
    (shunyu, xizhan), communities = city
    ProjectFactory(grid_node=communities["舜玉路街道"][1], title="舜玉项目")
    shunyu2, xizhan1 = communities["舜玉路街道"][1], communities["西站街道"][0]
    client = Client()

    def offered(page, node):
        return f"{node.name}</option>" in page

    first = client.get("/lists/projects/").content.decode()
    assert offered(first, shunyu) and offered(first, xizhan) and not offered(first, shunyu2)

    chosen = client.get(f"/lists/projects/?grid_node={shunyu.pk}").content.decode()
    assert offered(chosen, shunyu2) and not offered(chosen, xizhan1) and "舜玉项目" in chosen


def test_a_district_fits_in_one_select(street, community, other_community):
    nodes = grid_selectors.filter_nodes()
    assert nodes[0] == street and {n.pk for n in nodes[1:]} == {community.pk, other_community.pk}
