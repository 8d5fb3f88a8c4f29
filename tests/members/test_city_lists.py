"""The change lists of units, grid nodes and party members at city scale: a fixed number of queries for a street
admin and the superuser, plain, filtered, searched and sorted; their filters offer the viewer's streets only and
filter by subtree; nothing outside the street shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Skill
from tests.grids.factories import CommunityFactory, MicroGridFactory, StreetFactory
from tests.members.factories import MemberUnitFactory, PartyMemberFactory

pytestmark = pytest.mark.django_db

UNITS = reverse("admin:members_memberunit_changelist")
NODES = reverse("admin:grids_gridnode_changelist")
MEMBERS = reverse("admin:members_partymember_changelist")
PAGES = [
    UNITS,
    f"{UNITS}?kind__exact=state_firm&stars=0",
    f"{UNITS}?q=成员单位",
    f"{UNITS}?o=1",
    NODES,
    f"{NODES}?level__exact=3",
    f"{NODES}?q=网格",
    f"{NODES}?o=2",
    MEMBERS,
    f"{MEMBERS}?availability__exact=weekends&is_active__exact=1",
    f"{MEMBERS}?q=王",
    f"{MEMBERS}?o=-1",
]


def fill(community, n, start=0):
    skill, _ = Skill.objects.get_or_create(name="理发")
    for i in range(start, start + n):
        micro = MicroGridFactory(parent=community, name=f"王家{i}号微网格")
        MemberUnitFactory(grid_node=micro)
        PartyMemberFactory(community=micro, name=f"王{i}", phone=f"1361234{i:04d}").skills.add(skill)


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["street_admin", "superuser"])
def test_the_lists_run_the_same_queries_whatever_their_length(client, community, who, request):
    client.force_login(request.getfixturevalue(who))
    fill(community, 1)
    client.get(PAGES[0])  # the sidebar's app list is kept per account for a minute (alliance.core.admin_lists)
    few = {url: queries(client, url) for url in PAGES}
    fill(community, 8, start=1)
    many = {url: queries(client, url) for url in PAGES}
    assert few == many


def test_a_street_admin_sees_only_their_street_and_the_filters_offer_only_its_communities(
    client, street_admin, community
):
    fill(community, 2)
    elsewhere = CommunityFactory(parent=StreetFactory(name="另一街道"), name="外街社区")
    MemberUnitFactory(grid_node=elsewhere, name="外街单位")
    PartyMemberFactory(community=elsewhere, name="王外街", phone="13612349999")
    client.force_login(street_admin)

    members = client.get(MEMBERS, {"q": "王"}).context["cl"]
    assert sorted(m.name for m in members.result_list) == ["王0", "王1"]
    units = client.get(UNITS).context["cl"]
    assert "外街单位" not in {u.name for u in units.result_list}
    page = client.get(NODES).content.decode()
    assert "另一街道" not in page and "外街社区" not in page


def test_the_grid_filter_narrows_to_the_chosen_community(client, superuser, street, community, other_community):
    fill(community, 2)
    PartyMemberFactory(community=other_community, name="李华", phone="13612348888")
    MemberUnitFactory(grid_node=other_community, name="舜华单位")
    client.force_login(superuser)

    members = client.get(MEMBERS, {"community_in": community.pk}).context["cl"]
    assert sorted(m.name for m in members.result_list) == ["王0", "王1"]
    nodes = client.get(NODES, {"node_in": other_community.pk}).context["cl"]
    assert [n.name for n in nodes.result_list] == ["舜华社区"]
    units = client.get(UNITS, {"grid_node_in": other_community.pk}).context["cl"]
    assert [u.name for u in units.result_list] == ["舜华单位"]


def test_the_star_filter_offers_zero_to_five_and_filters(client, superuser, community):
    MemberUnitFactory(grid_node=community, name="三星单位", star_rating=3)
    MemberUnitFactory(grid_node=community, name="无星单位", star_rating=0)
    client.force_login(superuser)
    response = client.get(UNITS, {"stars": "3"})
    assert [u.name for u in response.context["cl"].result_list] == ["三星单位"]
    assert client.get(UNITS, {"stars": "9"}).status_code == 200  # not a choice: the whole list


def test_the_skill_filter_lists_skills_and_filters(client, superuser, community):
    fill(community, 1)
    cook = Skill.objects.create(name="烹饪")
    PartyMemberFactory(community=community, name="赵厨", phone="13612347777").skills.add(cook)
    client.force_login(superuser)
    members = client.get(MEMBERS, {"skills__id__exact": cook.pk}).context["cl"]
    assert [m.name for m in members.result_list] == ["赵厨"]
