from django.urls import reverse

from members.models import MemberUnit
from tests.grids.factories import CommunityFactory, MicroGridFactory, StreetFactory
from tests.members.factories import MemberUnitFactory, PartyMemberFactory


def build_district(streets: int, communities: int, micro_per_community: int):
    for _ in range(streets):
        street = StreetFactory()
        for _ in range(communities):
            community = CommunityFactory(parent=street)
            for _ in range(micro_per_community):
                MicroGridFactory(parent=community)
            MemberUnitFactory(grid_node=community, kind=MemberUnit.Kind.SCHOOL)
            PartyMemberFactory(community=community, unit=None)


def test_home_shows_live_figures_of_the_alliance(client, db):
    build_district(streets=2, communities=3, micro_per_community=2)
    MemberUnitFactory(kind=MemberUnit.Kind.HOSPITAL, status=MemberUnit.Status.WITHDRAWN)

    response = client.get(reverse("home"))

    figures = response.context["figures"]
    # One extra street/community comes with the withdrawn unit's factory.
    assert (figures["streets"], figures["communities"], figures["micro_grids"]) == (3, 7, 12)
    # Withdrawn units are not counted; party members count by the community they report to.
    assert figures["units"] == 6
    assert {row["kind"].value: row["count"] for row in figures["units_by_kind"]}["school"] == 6
    assert figures["party_members"] == 6
    page = response.content.decode()
    assert "联盟概况" in page and "学校" in page


def test_home_runs_the_same_queries_for_a_small_and_a_big_district(client, db, django_assert_num_queries):
    build_district(streets=1, communities=1, micro_per_community=1)
    # 1 grid counts by street and level, 2 streets, 3 units by kind, 4 units by street, 5 members by street,
    # 6 the news section (published articles, pinned first, with their street or community)
    with django_assert_num_queries(6):
        client.get(reverse("home"))
    build_district(streets=3, communities=4, micro_per_community=5)
    with django_assert_num_queries(6):
        response = client.get(reverse("home"))
    assert response.status_code == 200


def test_pages_are_in_chinese_by_default_and_english_on_request(client, db):
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="zh-hans">' in page
    asked = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="zh-hans">' in asked  # the browser's setting alone is no choice (alliance.core.admin_chinese)
    client.cookies["django_language"] = "en"  # the footer's switch (set_language)
    english = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in english


def test_no_page_asset_comes_from_the_internet(client, db):
    page = client.get(reverse("home")).content.decode()
    assert "http://" not in page and "https://" not in page
