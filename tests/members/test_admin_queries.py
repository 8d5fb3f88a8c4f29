"""Admin change lists of units, party members, accounts and grid nodes run a fixed number of queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Skill
from tests.grids.factories import GridRoleFactory, MicroGridFactory
from tests.members.factories import MemberUnitFactory, PartyMemberFactory, ResidentFactory


def make_rows(community, n):
    skill, _ = Skill.objects.get_or_create(name="理发")
    for _i in range(n):
        micro = MicroGridFactory(parent=community)
        MemberUnitFactory(grid_node=micro)
        PartyMemberFactory(community=micro).skills.add(skill)
        ResidentFactory(grid_node=micro)
        GridRoleFactory(node=micro)


LISTS = [
    "admin:members_memberunit_changelist",
    "admin:members_partymember_changelist",
    "admin:members_user_changelist",
    "admin:grids_gridnode_changelist",
    "admin:grids_gridrole_changelist",
]


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_change_list_query_counts_do_not_grow_with_rows(client, community_admin, community):
    client.force_login(community_admin)
    make_rows(community, 1)
    client.get(reverse(LISTS[0]))  # the sidebar's app list is kept per account for a minute (admin_lists)
    few = {name: count_queries(client, reverse(name)) for name in LISTS}

    make_rows(community, 6)
    many = {name: count_queries(client, reverse(name)) for name in LISTS}

    assert few == many
