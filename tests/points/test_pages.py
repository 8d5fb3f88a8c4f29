"""The public TOP10 page and a member's own points history."""

import pytest
from django.urls import reverse
from django.utils import timezone

from alliance.points import awards, rankings
from tests.members.factories import PartyMemberFactory, UserFactory
from tests.points.factories import PointsEntryFactory

pytestmark = pytest.mark.django_db


def _members(community, n):
    today = timezone.localdate()
    for i in range(n):
        m = PartyMemberFactory(community=community, unit=None, name=f"党员{i:02d}")
        PointsEntryFactory(member=m, points=100 - i, occurred_on=today)


@pytest.mark.parametrize("n", [3, 15])
def test_top10_page_runs_fixed_queries_and_shows_ten_at_most(client, community, n, django_assert_num_queries):
    _members(community, n)
    # 1 streets, 2 published rankings, 3 their rows, 4 the live ranking of the one unpublished street
    with django_assert_num_queries(4):
        response = client.get(reverse("alliance:top10"))
    html = response.content.decode()
    assert "党员00" in html and ("党员10" not in html) and html.count("<tr><td>") == min(n, 10)
    assert "先锋指数" in html and "实时，未发布" in html


def test_top10_page_shows_the_frozen_ranking_once_published(client, community, street, street_admin):
    _members(community, 2)
    today = timezone.localdate()
    rankings.publish_ranking(by=street_admin, street=street, year=today.year, month=today.month)
    PointsEntryFactory(member=PartyMemberFactory(community=community, name="后来者"), points=999, occurred_on=today)
    html = client.get(reverse("alliance:top10"), {"month": f"{today:%Y-%m}"}).content.decode()
    assert "已发布" in html and "后来者" not in html


def test_my_points_lists_the_history_with_corrections(client, community, community_admin):
    user = UserFactory(role="party_member", grid_node=community)
    member = PartyMemberFactory(user=user, community=community)
    entry = PointsEntryFactory(
        member=member, points=5, reason="参加活动签到：主题党日", occurred_on=timezone.localdate()
    )
    awards.correct_points(by=community_admin, entry=entry, points=-2, reason="时长登记有误")
    client.force_login(user)
    html = client.get(reverse("alliance:my_points")).content.decode()
    assert "参加活动签到：主题党日" in html and "更正：时长登记有误" in html
    assert 'data-figure="total">3<' in html


def test_my_points_needs_login_and_a_member_record(client, resident):
    assert client.get(reverse("alliance:my_points")).status_code == 302
    client.force_login(resident)
    assert "尚未关联党员信息" in client.get(reverse("alliance:my_points")).content.decode()


def test_a_month_before_ranking_rows_exist_is_empty(client, community):
    html = client.get(reverse("alliance:top10"), {"month": "2020-01"}).content.decode()
    assert "本月暂无积分" in html


@pytest.mark.parametrize("n", [2, 40])
def test_my_points_runs_fixed_queries(client, community, n, django_assert_num_queries):
    user = UserFactory(role="party_member", grid_node=community)
    member = PartyMemberFactory(user=user, community=community)
    for _ in range(n):
        PointsEntryFactory(member=member, points=1, occurred_on=timezone.localdate())
    client.force_login(user)
    # session, user, member, year totals, hours target, page count, page rows, street pioneer totals
    with django_assert_num_queries(8):
        assert client.get(reverse("alliance:my_points")).status_code == 200
