"""Every admin page of grids and members renders for a superuser and a community admin (no 500s)."""

import datetime

import pytest
from django.urls import reverse

from grids.models import TeamMember
from members.models import EnterpriseAlliance, EnterpriseAllianceMembership, Instructor, Pairing, Skill
from tests.grids.factories import GridRoleFactory, TeamFactory
from tests.members.factories import MemberUnitFactory, PartyMemberFactory, PartyOrganizationFactory


@pytest.fixture
def records(street, community, micro_grid, community_admin):
    unit = MemberUnitFactory(grid_node=community)
    member = PartyMemberFactory(community=community, unit=unit)
    member.skills.add(Skill.objects.create(name="理发"))
    team = TeamFactory(node=community)
    alliance = EnterpriseAlliance.objects.create(name="舜玉路企业家联盟", street=street)
    return {
        "grids.gridnode": micro_grid,
        "grids.gridrole": GridRoleFactory(node=micro_grid),
        "grids.team": team,
        "members.user": community_admin,
        "members.memberunit": unit,
        "members.partyorganization": PartyOrganizationFactory(unit=unit),
        "members.pairing": Pairing.objects.create(unit=unit, community=community, starts_on=datetime.date(2025, 1, 1)),
        "members.enterprisealliance": alliance,
        "members.instructor": Instructor.objects.create(
            member=member, unit=unit, method=Instructor.Method.DISPATCHED, starts_on=datetime.date(2025, 2, 1)
        ),
        "members.partymember": member,
        "members.skill": Skill.objects.get(name="理发"),
        "_extra": [
            TeamMember.objects.create(team=team, name="队员甲"),
            EnterpriseAllianceMembership.objects.create(
                alliance=alliance, unit=unit, joined_on=datetime.date(2025, 1, 1)
            ),
        ],
    }


MODELS = [
    "grids.gridnode",
    "grids.gridrole",
    "grids.team",
    "members.user",
    "members.memberunit",
    "members.partyorganization",
    "members.pairing",
    "members.enterprisealliance",
    "members.instructor",
    "members.partymember",
    "members.skill",
]


@pytest.mark.parametrize("model", MODELS)
def test_superuser_pages_render(client, superuser, records, model):
    app, name = model.split(".")
    obj = records[model]
    client.force_login(superuser)

    for url in [
        reverse(f"admin:{app}_{name}_changelist"),
        reverse(f"admin:{app}_{name}_add"),
        reverse(f"admin:{app}_{name}_change", args=[obj.pk]),
        reverse(f"admin:{app}_{name}_history", args=[obj.pk]),
    ]:
        assert client.get(url).status_code == 200, url


def test_community_admin_index_and_lists_render(client, community_admin, records):
    client.force_login(community_admin)

    index = client.get(reverse("admin:index"))

    assert index.status_code == 200
    assert "成员单位" in index.content.decode()
    for model in MODELS:
        app, name = model.split(".")
        assert client.get(reverse(f"admin:{app}_{name}_changelist")).status_code == 200, model
