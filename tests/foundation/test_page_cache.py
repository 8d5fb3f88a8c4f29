"""Public lists, the statistics page and the public API lists are cached (alliance.core.cache) — and stay true.

A cached page runs no query; any save, delete or bulk write of what it shows is on the very next request;
what one audience sees is never served to another; a dead cache server only makes pages slower.
"""

import pytest
from django.core.cache import caches
from django.test import Client

from alliance.committee.models import Meeting
from alliance.core import cache
from projects import actions as project_actions
from projects.models import Project, Wish
from tests.alliance.factories import CommitteeFactory, MeetingFactory
from tests.faults.conftest import free_port
from tests.members.factories import MemberUnitFactory, PartyMemberFactory, UnitOperatorFactory, UserFactory
from tests.projects.factories import ProjectFactory, WishFactory

pytestmark = pytest.mark.django_db


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/lists/projects/",
        "/lists/resources/",
        "/lists/needs/",
        "/lists/wishes/",
        "/services/menu/",
        "/alliance/statistics/",
    ],
)
def test_a_cached_public_page_runs_no_query(client, community, django_assert_num_queries, url):
    ProjectFactory(grid_node=community)
    _page(client, url)  # renders and keeps the fragment
    with django_assert_num_queries(0):
        _page(client, url)


def test_a_saved_project_shows_on_the_next_request(client, community):
    project = ProjectFactory(grid_node=community, title="助老义诊")
    assert "助老义诊" in _page(client, "/lists/projects/")

    project.title = "暑期托管"
    project.save(update_fields=["title"])
    page = _page(client, "/lists/projects/")
    assert "暑期托管" in page and "助老义诊" not in page

    ProjectFactory(grid_node=community, title="楼道照明")
    assert "楼道照明" in _page(client, "/lists/projects/")

    project.delete()
    assert "暑期托管" not in _page(client, "/lists/projects/")


def test_a_unit_s_new_name_shows_on_the_cached_project_list(client, community):
    """The project card names its community: a renamed grid node is another group the page is made of."""
    ProjectFactory(grid_node=community, title="助老义诊")
    assert community.name in _page(client, "/lists/projects/")
    community.name = "新华社区"
    community.save()
    assert "新华社区" in _page(client, "/lists/projects/")


def test_a_wish_claimed_by_a_queryset_update_shows_on_the_next_request(client, community):
    """claim_wish writes with a conditional UPDATE, which sends no signal: the action forgets the lists."""
    wish = WishFactory(grid_node=community, title="一副老花镜")
    user = UserFactory(role="party_member", grid_node=community)
    member = PartyMemberFactory(community=community, user=user, name="王红梅")
    assert "王红梅 认领" not in _page(client, "/lists/wishes/")

    project_actions.claim_wish(by=user, wish=wish)

    assert Wish.objects.get(pk=wish.pk).status == Wish.Status.CLAIMED
    assert f"{member.name} 认领" in _page(client, "/lists/wishes/")


def test_staff_see_their_drafts_and_the_public_never_gets_them_from_the_cache(community, community_admin):
    ProjectFactory(grid_node=community, title="公开项目")
    ProjectFactory(grid_node=community, title="草稿项目", status=Project.Status.DRAFT)
    staff = Client()
    staff.force_login(community_admin)
    assert "草稿项目" in _page(staff, "/lists/projects/")  # cached for the community's staff

    for visitor in (Client(), _signed_in(UnitOperatorFactory(unit=MemberUnitFactory(grid_node=community)))):
        page = _page(visitor, "/lists/projects/")
        assert "公开项目" in page and "草稿项目" not in page


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_unit_s_retired_resource_stays_with_its_unit(community, unit, unit_operator):
    """A unit's operators also see their unit's retired resources: never served to the public or other units."""
    from projects.models import Resource
    from tests.projects.factories import ResourceFactory

    ResourceFactory(unit=unit, title="在架资源")
    ResourceFactory(unit=unit, title="下架资源", status=Resource.Status.RETIRED)
    assert "下架资源" in _page(_signed_in(unit_operator), "/lists/resources/")

    other_unit = UnitOperatorFactory(unit=MemberUnitFactory(grid_node=community))
    for visitor in (Client(), _signed_in(other_unit)):
        page = _page(visitor, "/lists/resources/")
        assert "在架资源" in page and "下架资源" not in page


def test_a_resident_s_wish_under_review_is_shown_to_them_only(community):
    from tests.members.factories import ResidentFactory

    author, neighbour = ResidentFactory(grid_node=community), ResidentFactory(grid_node=community)
    WishFactory(grid_node=community, resident=author, title="待审心愿", status=Wish.Status.SUBMITTED)
    assert "待审心愿" in _page(_signed_in(author), "/lists/wishes/")
    for visitor in (Client(), _signed_in(neighbour)):
        assert "待审心愿" not in _page(visitor, "/lists/wishes/")


def test_the_filters_and_the_page_number_are_part_of_the_key(client, community):
    for i in range(25):
        ProjectFactory(grid_node=community, title=f"项目{i:02d}号")
    first, second = _page(client, "/lists/projects/"), _page(client, "/lists/projects/?page=2")
    assert "项目24号" in first and "项目24号" not in second
    assert "项目00号" in second
    assert "项目03号" in _page(client, "/lists/projects/?q=项目03")
    assert "项目04号" not in _page(client, "/lists/projects/?q=项目03")


def test_statistics_show_a_new_meeting_on_the_next_request(client, street):
    committee = CommitteeFactory(grid_node=street)
    MeetingFactory(committee=committee, status=Meeting.Status.HELD)
    before = client.get("/alliance/statistics/").content.decode()
    MeetingFactory(committee=committee, status=Meeting.Status.HELD)
    after = client.get("/alliance/statistics/").content.decode()
    assert before != after


def test_english_visitors_get_the_english_page_not_the_cached_chinese_one(client, community):
    ProjectFactory(grid_node=community)
    assert "项目清单" in _page(client, "/lists/projects/")
    client.cookies["django_language"] = "en"
    assert 'lang="en"' in _page(client, "/lists/projects/")


# --- API lists -------------------------------------------------------------------------------------------


def test_a_cached_api_list_runs_no_query_and_changes_with_the_data(client, community, django_assert_num_queries):
    unit = MemberUnitFactory(grid_node=community, name="省交通运输厅")
    assert client.get("/api/v1/units/").json()["count"] == 1
    with django_assert_num_queries(0):
        assert client.get("/api/v1/units/").json()["results"][0]["name"] == "省交通运输厅"

    unit.name = "省商务厅"
    unit.save(update_fields=["name"])
    assert client.get("/api/v1/units/").json()["results"][0]["name"] == "省商务厅"
    MemberUnitFactory(grid_node=community)
    assert client.get("/api/v1/units/").json()["count"] == 2


def test_a_full_phone_cached_for_staff_is_never_served_to_the_public(community, community_admin):
    unit = MemberUnitFactory(grid_node=community, contact_phone="13812345678")
    staff = _signed_in(community_admin)
    assert staff.get("/api/v1/units/").json()["results"][0]["contact_phone"] == unit.contact_phone

    public = Client().get("/api/v1/units/").json()["results"][0]["contact_phone"]
    assert public != unit.contact_phone and "****" in public


@pytest.mark.parametrize("url", ["/api/v1/grids/", "/api/v1/menu/", "/api/v1/projects/"])
def test_other_cached_api_lists_follow_the_data(client, community, url):
    before = client.get(url).json()["count"]
    ProjectFactory(grid_node=community)
    from tests.grids.factories import MicroGridFactory
    from tests.services.factories import MenuItemFactory

    MicroGridFactory(parent=community)
    MenuItemFactory(provider_unit=MemberUnitFactory(grid_node=community), grid_scope=community)
    assert client.get(url).json()["count"] == before + 1


def test_next_links_follow_the_host_the_client_asked(client, community):
    for _ in range(21):
        MemberUnitFactory(grid_node=community)
    first = client.get("/api/v1/units/", HTTP_HOST="localhost").json()["next"]
    second = client.get("/api/v1/units/", HTTP_HOST="127.0.0.1").json()["next"]
    assert first.startswith("http://localhost/") and second.startswith("http://127.0.0.1/")


# --- the cache server down ---------------------------------------------------------------------------------


def test_pages_and_api_lists_answer_live_when_the_cache_server_is_down(client, community, settings):
    ProjectFactory(grid_node=community, title="助老义诊")
    MemberUnitFactory(grid_node=community)
    dead = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    settings.CACHES = {"default": {"BACKEND": "alliance.core.redis_cache.RedisCache", "LOCATION": dead}}
    with pytest.raises(Exception):  # noqa: B017 - really down
        caches["default"].get("anything")

    assert "助老义诊" in _page(client, "/lists/projects/")
    assert client.get("/api/v1/units/").json()["count"] == 1
    ProjectFactory(grid_node=community, title="楼道照明")  # a write with the cache down still succeeds
    assert "楼道照明" in _page(client, "/lists/projects/")


def test_unknown_groups_are_a_programming_error():
    with pytest.raises(ValueError):
        cache.changed("nonsense")
