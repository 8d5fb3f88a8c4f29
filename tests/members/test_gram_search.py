"""The admin's name search in Chinese (alliance.core.search): found through the gram index (a Bitmap Index Scan,
not a scan of the table) for one-, two- and longer terms, and exactly the rows Django's ``icontains`` finds."""

import pytest
from django.db import connection
from django.urls import reverse

from alliance.core.search import GramSearch, matching, search_terms
from grids.models import GridNode
from members.admin import PARTY_MEMBER_SEARCH, UNIT_SEARCH, USER_SEARCH
from members.models import MemberUnit, PartyMember, Skill, User
from tests.members.factories import MemberUnitFactory, PartyMemberFactory, ResidentFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the gram index is PostgreSQL's"),
]

NAMES = ["王芳", "王芳芳", "李王芳", "张伟", "Wang Fang", "wang fang", "李建国", "欧阳娜娜", "王"]
TERMS = ["王", "芳", "王芳", "建国", "李建国", "欧阳娜", "WANG", "Fang", "g f", "ng", "%", "_", "x" * 300, "无此人"]


@pytest.fixture
def people(community):
    for n, name in enumerate(NAMES):
        PartyMemberFactory(name=name, community=community, phone=f"1390000{n:04d}")


def plan(queryset) -> str:
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        # A few test rows: the planner would rather read them all, or walk another index and filter; at city size
        # (100,000 rows) it picks the gram index by itself (see the notes' EXPLAIN).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize("term", ["王", "王芳", "李建国", "欧阳娜娜"])
def test_one_two_and_longer_chinese_terms_are_found_through_the_index(people, term):
    found = matching(PartyMember.objects.all(), PARTY_MEMBER_SEARCH, term)
    explained = plan(found)
    assert "Bitmap Index Scan on partymember_search_grams" in explained
    assert "Seq Scan on members_partymember" not in explained


@pytest.mark.parametrize("term", TERMS)
def test_the_rows_are_exactly_those_icontains_finds(people, term):
    found = set(matching(PartyMember.objects.all(), PARTY_MEMBER_SEARCH, term).values_list("name", flat=True))
    plain = set(PartyMember.objects.filter(name__icontains=term).values_list("name", flat=True)) | set(
        PartyMember.objects.filter(phone__icontains=term).values_list("name", flat=True)
    )
    assert found == plain


def test_latin_text_in_any_case_and_a_term_across_words(people):
    found = matching(PartyMember.objects.all(), PARTY_MEMBER_SEARCH, "WANG FANG")
    assert sorted(found.values_list("name", flat=True)) == ["Wang Fang", "wang fang"]


def test_units_accounts_and_grid_nodes_use_their_own_index(community):
    MemberUnitFactory(name="历下区王府酒店", grid_node=community)
    ResidentFactory(display_name="赵王芳", grid_node=community)
    cases = [
        (MemberUnit.objects.all(), UNIT_SEARCH, "memberunit_search_grams", "王府"),
        (User.objects.all(), USER_SEARCH, "user_search_grams", "王芳"),
        (GridNode.objects.all(), ("name", "code"), "gridnode_search_grams", "舜园"),
    ]
    for queryset, columns, index, term in cases:
        found = matching(queryset, columns, term)
        assert found.count() == 1, index
        assert f"Bitmap Index Scan on {index}" in plan(found)


def test_a_party_member_is_found_by_the_name_of_their_unit_through_the_units_index(community):
    unit = MemberUnitFactory(name="历下区王府酒店", grid_node=community)
    member = PartyMemberFactory(name="张伟", unit=unit, community=community)
    PartyMemberFactory(name="李娜", community=community)
    search = GramSearch(PARTY_MEMBER_SEARCH, related=(("unit", MemberUnit, UNIT_SEARCH, ("name",)),))
    found = search.filter(PartyMember.objects.all(), ["王府"])
    assert list(found) == [member]
    explained = plan(found)
    assert "Bitmap Index Scan on memberunit_search_grams" in explained
    assert "Bitmap Index Scan on partymember_search_grams" in explained


def test_a_party_member_is_found_by_a_skill_and_a_skill_nobody_has_leaves_the_name_search_alone(community):
    barber, _ = Skill.objects.get_or_create(name="理发")
    found_by_skill = PartyMemberFactory(name="张伟", community=community)
    found_by_skill.skills.add(barber)
    named = PartyMemberFactory(name="理发店王芳", community=community)
    PartyMemberFactory(name="李娜", community=community)
    search = GramSearch(PARTY_MEMBER_SEARCH, related=(("skills", Skill, None, ("name",)),))
    assert set(search.filter(PartyMember.objects.all(), ["理发"])) == {found_by_skill, named}
    # No skill holds the term: the small table's matches are read first and its branch left out of the query.
    by_name = search.filter(PartyMember.objects.all(), ["王芳"])
    assert list(by_name) == [named]
    assert "members_skill" not in str(by_name.query)
    assert "members_partymember_skills" in str(search.filter(PartyMember.objects.all(), ["理发"]).query)
    assert list(search.filter(PartyMember.objects.all(), ["无此人"])) == []


def test_the_search_box_reads_words_and_phrases_and_ignores_blank_or_endless_input():
    assert search_terms('王芳  "李 建国"') == ["王芳", "李 建国"]
    assert search_terms("   ") == []
    assert search_terms("") == []
    assert len(search_terms("王" * 10_000)[0]) == 100
    assert len(search_terms(" ".join(["王"] * 50))) == 5


@pytest.mark.parametrize("q", ["王芳", "", "   ", "王" * 5000, "'", '"', "%_\\", "a" * 2 + "\x00"[:0]])
def test_the_admin_search_answers_every_input_without_an_error(client, superuser, people, q):
    client.force_login(superuser)
    response = client.get(reverse("admin:members_partymember_changelist"), {"q": q})
    assert response.status_code == 200


def test_the_admin_lists_find_a_name_in_chinese(client, superuser, people, community):
    client.force_login(superuser)
    MemberUnitFactory(name="王府酒店", grid_node=community)
    members = client.get(reverse("admin:members_partymember_changelist"), {"q": "王芳"}).context["cl"]
    assert sorted(m.name for m in members.result_list) == ["李王芳", "王芳", "王芳芳"]
    units = client.get(reverse("admin:members_memberunit_changelist"), {"q": "王府"}).context["cl"]
    assert [u.name for u in units.result_list] == ["王府酒店"]
    nodes = client.get(reverse("admin:grids_gridnode_changelist"), {"q": "舜园"}).context["cl"]
    assert [n.name for n in nodes.result_list] == ["舜园社区"]
