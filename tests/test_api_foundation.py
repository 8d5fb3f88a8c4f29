"""API collections grids, units and members: public/staff visibility, masking, filters, fixed query counts."""

import pytest
from rest_framework.test import APIClient

from members.models import MemberUnit, Skill, User
from tests.grids.factories import CommunityFactory, GridRoleFactory, MicroGridFactory, StreetFactory
from tests.members.factories import MemberUnitFactory, PartyMemberFactory, PartyOrganizationFactory


@pytest.fixture
def api():
    return APIClient()


def fresh(user):
    """The user as a request loads it: its grid node not yet fetched."""
    return User.objects.get(pk=user.pk)


def results(response):
    assert response.status_code == 200, response.content[:300]
    return response.json()["results"]


# --- grids ------------------------------------------------------------------------------------------


def test_grids_are_public_and_filter_by_level_parent_and_path(api, street, community, other_community, micro_grid):
    far = CommunityFactory(parent=StreetFactory(name="西站街道"), name="西站社区")

    by_level = results(api.get("/api/v1/grids/", {"level": 2}))
    by_parent = results(api.get("/api/v1/grids/", {"parent": community.pk}))
    by_path = results(api.get("/api/v1/grids/", {"path": street.path}))
    under = results(api.get("/api/v1/grids/", {"under": community.pk}))

    assert {n["name"] for n in by_level} == {"舜园社区", "舜华社区", "西站社区"}
    assert [n["name"] for n in by_parent] == ["舜园3号楼微网格"]
    assert far.name not in {n["name"] for n in by_path} and len(by_path) == 4
    assert {n["id"] for n in under} == {community.pk, micro_grid.pk}
    first = by_level[0]
    assert first["level_label"] == "社区" and first["parent_name"] == "舜玉路街道"


def test_grid_detail_lists_public_posts_with_masked_phones(api, micro_grid):
    GridRoleFactory(node=micro_grid, holder_name="王网格", phone="13912345678")
    GridRoleFactory(node=micro_grid, holder_name="不公示", is_public=False)

    node = api.get(f"/api/v1/grids/{micro_grid.pk}/").json()

    assert [p["holder_name"] for p in node["posts"]] == ["王网格"]
    assert node["posts"][0]["phone"] == "139****5678"


@pytest.mark.parametrize("micro_grids", [2, 25])
def test_grid_list_runs_two_queries_whatever_its_length(api, community, django_assert_num_queries, micro_grids):
    MicroGridFactory.create_batch(micro_grids, parent=community)

    # 1 count, 2 the page of nodes with parent and child/unit counts
    with django_assert_num_queries(2):
        results(api.get("/api/v1/grids/", {"page_size": 100}))


# --- units ------------------------------------------------------------------------------------------


def test_units_are_public_active_only_with_masked_phones(api, community):
    MemberUnitFactory(grid_node=community, name="正常单位", contact_phone="13812345678")
    MemberUnitFactory(grid_node=community, name="已退出单位", status=MemberUnit.Status.WITHDRAWN)

    rows = results(api.get("/api/v1/units/"))

    assert [u["name"] for u in rows] == ["正常单位"]
    assert rows[0]["contact_phone"] == "138****5678"
    assert rows[0]["kind"] == "state_firm" and rows[0]["kind_label"] == "国有企业"


def test_staff_in_scope_see_full_phones_and_their_inactive_units(api, community_admin, community, other_community):
    MemberUnitFactory(grid_node=community, name="本社区单位", contact_phone="13812345678")
    MemberUnitFactory(grid_node=community, name="本社区暂停单位", status=MemberUnit.Status.SUSPENDED)
    MemberUnitFactory(grid_node=other_community, name="外社区单位", contact_phone="13812349999")
    MemberUnitFactory(grid_node=other_community, name="外社区暂停单位", status=MemberUnit.Status.SUSPENDED)
    api.force_authenticate(community_admin)

    rows = {u["name"]: u for u in results(api.get("/api/v1/units/"))}

    assert set(rows) == {"本社区单位", "本社区暂停单位", "外社区单位"}
    assert rows["本社区单位"]["contact_phone"] == "13812345678"
    assert rows["外社区单位"]["contact_phone"] == "138****9999"


def test_unit_operators_and_residents_see_masked_phones(api, unit_operator, unit):
    api.force_authenticate(unit_operator)

    row = api.get(f"/api/v1/units/{unit.pk}/").json()

    assert "****" in row["contact_phone"]


def test_units_filter_by_kind_subtree_and_text(api, community, other_community, micro_grid):
    MemberUnitFactory(grid_node=micro_grid, name="舜玉小学", kind=MemberUnit.Kind.SCHOOL)
    MemberUnitFactory(grid_node=other_community, name="舜华医院", kind=MemberUnit.Kind.HOSPITAL)

    assert [u["name"] for u in results(api.get("/api/v1/units/", {"kind": "school"}))] == ["舜玉小学"]
    assert [u["name"] for u in results(api.get("/api/v1/units/", {"under": community.pk}))] == ["舜玉小学"]
    assert [u["name"] for u in results(api.get("/api/v1/units/", {"q": "医院"}))] == ["舜华医院"]


def test_unknown_filter_values_answer_400_in_chinese_not_500(api):
    response = api.get("/api/v1/units/", {"kind": "spaceship"})

    assert response.status_code == 400
    assert "选择" in str(response.json())


@pytest.mark.parametrize("units", [2, 25])
def test_public_unit_list_runs_two_queries(api, community, django_assert_num_queries, units):
    for unit in MemberUnitFactory.create_batch(units, grid_node=community):
        PartyOrganizationFactory(unit=unit)

    # 1 count, 2 the page with grid node and party organisation joined
    with django_assert_num_queries(2):
        assert len(results(api.get("/api/v1/units/", {"page_size": 100}))) == units


@pytest.mark.parametrize("units", [2, 25])
def test_staff_unit_list_runs_three_queries(api, community_admin, community, django_assert_num_queries, units):
    MemberUnitFactory.create_batch(units, grid_node=community)
    api.force_authenticate(fresh(community_admin))

    # 1 the admin's grid node (scope), 2 count, 3 the page
    with django_assert_num_queries(3):
        assert len(results(api.get("/api/v1/units/", {"page_size": 100}))) == units


# --- members ----------------------------------------------------------------------------------------


def test_members_need_a_staff_role(api, resident, unit_operator):
    assert api.get("/api/v1/members/").status_code in (401, 403)
    api.force_authenticate(resident)
    assert api.get("/api/v1/members/").status_code == 403
    api.force_authenticate(unit_operator)
    assert api.get("/api/v1/members/").status_code == 403


def test_members_are_scoped_with_skills_and_full_phones(api, grid_worker, community, other_community):
    mine = PartyMemberFactory(community=community, name="张红", phone="13905310001")
    mine.skills.add(Skill.objects.create(name="理发"), Skill.objects.create(name="法律咨询"))
    PartyMemberFactory(community=other_community, name="外社区党员")
    api.force_authenticate(grid_worker)

    rows = results(api.get("/api/v1/members/"))

    assert [m["name"] for m in rows] == ["张红"]
    assert rows[0]["phone"] == "13905310001"
    assert rows[0]["skills"] == ["法律咨询", "理发"]
    other = PartyMemberFactory(community=other_community)
    assert api.get(f"/api/v1/members/{other.pk}/").status_code == 404


def test_members_filter_by_skill_and_skill_counts(api, street_admin, community, other_community):
    haircut = Skill.objects.create(name="理发")
    for node in (community, other_community):
        PartyMemberFactory(community=node).skills.add(haircut)
    PartyMemberFactory(community=community).skills.add(Skill.objects.create(name="书法"))
    api.force_authenticate(street_admin)

    with_haircut = results(api.get("/api/v1/members/", {"skill": "理发"}))
    counts = results(api.get("/api/v1/members/skills/"))

    assert len(with_haircut) == 2
    assert counts == [
        {"id": haircut.pk, "name": "理发", "member_count": 2},
        {"id": Skill.objects.get(name="书法").pk, "name": "书法", "member_count": 1},
    ]


@pytest.mark.parametrize("members", [2, 25])
def test_member_list_runs_four_queries(api, community_admin, community, django_assert_num_queries, members):
    skill = Skill.objects.create(name="维修")
    for member in PartyMemberFactory.create_batch(members, community=community):
        member.skills.add(skill)
    api.force_authenticate(fresh(community_admin))

    # 1 the admin's grid node (scope), 2 count, 3 the page with unit and community, 4 skills
    with django_assert_num_queries(4):
        assert len(results(api.get("/api/v1/members/", {"page_size": 100}))) == members
