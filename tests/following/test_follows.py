"""Following an area by role: who may follow what, on which channel; one's own follows only; pages and API."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from alliance.core.feeds import Topic
from alliance.core.models import NotificationPreference
from alliance.following import actions
from alliance.following.models import Follow
from tests.grids.factories import CommunityFactory
from tests.members.factories import ResidentFactory, UserFactory

pytestmark = pytest.mark.django_db
ALL = list(Topic.values)


def _follow(user, node, **choices):
    kwargs = {"topics": ALL, "frequency": "weekly", "channel": "email", **choices}
    return actions.follow(by=user, node=node, **kwargs)


def test_a_resident_follows_a_community_weekly_by_email_with_all_topics(follower, community):
    follow = _follow(follower, community)

    assert (follow.user, follow.node, follow.topics, follow.frequency, follow.channel) == (
        follower,
        community,
        ALL,
        "weekly",
        "email",
    )
    assert follow.history.count() == 1


def test_a_party_member_follows_a_micro_grid_daily_by_wechat_once_bound(micro_grid):
    member = UserFactory(role="party_member", grid_node=micro_grid)
    with pytest.raises(ValidationError) as refused:
        _follow(member, micro_grid, frequency="daily", channel="wechat")
    assert "未绑定微信" in str(refused.value)

    NotificationPreference.objects.create(user=member, wechat_openid="openid-member")
    follow = _follow(member, micro_grid, frequency="daily", channel="wechat", topics=["news", "activities"])
    assert follow.topics == ["news", "activities"]


def test_a_street_is_not_followed(follower, street):
    with pytest.raises(ValidationError) as refused:
        _follow(follower, street)
    assert "只能关注社区或微网格" in str(refused.value)
    assert not Follow.objects.exists()


def test_email_is_refused_without_an_address(community):
    resident = ResidentFactory(grid_node=community, email="")
    with pytest.raises(ValidationError) as refused:
        _follow(resident, community)
    assert "未填写电子邮箱" in str(refused.value)


def test_no_topic_or_an_unknown_topic_is_refused(follower, community):
    for topics in ([], ["gossip"]):
        with pytest.raises(ValidationError):
            _follow(follower, community, topics=topics)


def test_an_area_is_followed_once_per_person(follower, community):
    _follow(follower, community)
    with pytest.raises(ValidationError) as refused:
        _follow(follower, community)
    assert "您已关注" in str(refused.value)
    assert Follow.objects.count() == 1


def test_another_persons_follow_is_neither_changed_nor_removed(follower, community):
    follow = _follow(follower, community)
    other = ResidentFactory(grid_node=community, email="other@example.cn")
    with pytest.raises(PermissionDenied):
        actions.update_follow(by=other, follow=follow, topics=["news"], frequency="daily", channel="email")
    with pytest.raises(PermissionDenied):
        actions.unfollow(by=other, follow=follow)
    follow.refresh_from_db()
    assert follow.topics == ALL


def test_unfollow_keeps_the_history(follower, community):
    follow = _follow(follower, community)
    actions.update_follow(by=follower, follow=follow, topics=["news"], frequency="daily", channel="email")
    actions.unfollow(by=follower, follow=follow)

    assert not Follow.objects.exists()
    assert list(Follow.history.order_by("history_id").values_list("history_type", flat=True)) == ["+", "~", "-"]


# --- pages ---------------------------------------------------------------------------------------------------


def test_signed_out_the_follow_pages_ask_to_sign_in(client, community):
    for url in ("/follow/", f"/follow/new/?node={community.pk}"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_follow_form_follows_and_my_follows_shows_it(client, follower, community):
    client.force_login(follower)
    page = client.get(f"/follow/new/?node={community.pk}")
    assert page.status_code == 200
    assert f'<option value="{community.pk}" selected>' in page.content.decode()

    response = client.post(
        f"/follow/new/?node={community.pk}",
        {"node": community.pk, "topics": ["news", "activities"], "frequency": "weekly", "channel": "email"},
    )
    assert response.status_code == 302 and response["Location"] == "/follow/"
    mine = client.get("/follow/").content.decode()
    assert "舜园社区" in mine and "新闻和通知公告、活动" in mine and "每周推送" in mine
    assert f"/follow/feeds/{community.pk}/news.atom" in mine


def test_the_form_shows_the_refusals_in_chinese(client, community, street):
    resident = ResidentFactory(grid_node=community, email="")
    client.force_login(resident)
    page = client.post(
        "/follow/new/", {"node": community.pk, "topics": ["news"], "frequency": "weekly", "channel": "email"}
    )
    assert page.status_code == 200 and "未填写电子邮箱" in page.content.decode()
    page = client.post(
        "/follow/new/", {"node": street.pk, "topics": ["news"], "frequency": "weekly", "channel": "wechat"}
    )
    assert "只能关注社区或微网格" in page.content.decode()
    assert not Follow.objects.exists()


def test_following_again_leads_to_the_edit_page_and_edit_and_unfollow_work(client, follower, community):
    follow = _follow(follower, community)
    client.force_login(follower)
    response = client.get(f"/follow/new/?node={community.pk}")
    assert response["Location"] == f"/follow/{follow.pk}/"

    client.post(f"/follow/{follow.pk}/", {"topics": ["lists"], "frequency": "daily", "channel": "email"})
    follow.refresh_from_db()
    assert (follow.topics, follow.frequency) == (["lists"], "daily")
    client.post(f"/follow/{follow.pk}/unfollow/")
    assert not Follow.objects.exists()


def test_another_persons_follow_page_is_not_found(client, follower, community):
    follow = _follow(follower, community)
    client.force_login(ResidentFactory(grid_node=community))
    assert client.get(f"/follow/{follow.pk}/").status_code == 404
    assert client.post(f"/follow/{follow.pk}/unfollow/").status_code == 404
    assert Follow.objects.count() == 1


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_my_follows_runs_a_fixed_number_of_queries_with_one_follow_or_many(client, follower, community, street):
    client.force_login(follower)
    _follow(follower, community)
    one = _queries(client, "/follow/")
    for _ in range(8):
        _follow(follower, CommunityFactory(parent=street))
    # session, user, the follows with their areas, the digests: whatever the number of follows.
    assert _queries(client, "/follow/") == one == 4


# --- API -----------------------------------------------------------------------------------------------------


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_the_api_lists_creates_changes_and_removes_ones_own_follows(follower, community, micro_grid):
    api = _api(follower)
    created = api.post(
        "/api/v1/follows/",
        {"node": community.pk, "topics": ["news"], "frequency": "daily", "channel": "email"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["node_name"] == "舜园社区"

    changed = api.patch(f"/api/v1/follows/{pk}/", {"frequency": "weekly"}, format="json")
    assert changed.status_code == 200 and changed.json()["frequency"] == "weekly"
    assert changed.json()["topics"] == ["news"]
    assert api.get("/api/v1/follows/").json()["count"] == 1

    assert api.delete(f"/api/v1/follows/{pk}/").status_code == 204
    assert not Follow.objects.exists()


def test_the_api_refuses_a_street_a_missing_address_and_anothers_follow(follower, community, street):
    api = _api(follower)
    body = {"node": street.pk, "topics": ["news"], "frequency": "daily", "channel": "email"}
    assert api.post("/api/v1/follows/", body, format="json").status_code == 400
    no_mail = ResidentFactory(grid_node=community, email="")
    body["node"] = community.pk
    refused = _api(no_mail).post("/api/v1/follows/", body, format="json")
    assert refused.status_code == 400 and "未填写电子邮箱" in str(refused.json())

    follow = _follow(follower, community)
    other = _api(ResidentFactory(grid_node=community))
    assert other.get(f"/api/v1/follows/{follow.pk}/").status_code == 404
    assert other.delete(f"/api/v1/follows/{follow.pk}/").status_code == 404
    assert APIClient().get("/api/v1/follows/").status_code == 401


def test_the_form_offers_the_areas_of_the_street_of_the_area_chosen(client, follower, community):
    elsewhere = CommunityFactory(name="别的街道的社区")  # a community of another street
    client.force_login(follower)
    page = client.get(f"/follow/new/?node={community.pk}").content.decode()
    assert "舜园社区" in page and "别的街道的社区" not in page
    assert "别的街道的社区" in client.get(f"/follow/new/?node={elsewhere.pk}").content.decode()
