"""The public page of a member unit (/units/<pk>/): resources, completed claims with their evaluation, delivered
orders with ratings, pairings, stars, the phone masked; the list of units; fixed queries."""

import pytest
from django.urls import reverse
from django.utils import timezone

from alliance.points.models import StarRating
from members.models import MemberUnit
from projects.models import Claim
from services.models import Order
from tests.members.factories import MemberUnitFactory, PairingFactory
from tests.projects.factories import ClaimFactory, ResourceFactory
from tests.services.factories import OrderFactory

pytestmark = pytest.mark.django_db


def fill(unit, n):
    for i in range(n):
        ResourceFactory(unit=unit, title=f"会议室开放{i}")
        ClaimFactory(
            unit=unit, status=Claim.Status.EVALUATED, rating=5, evaluation=f"居民点赞{i}", completed_at=timezone.now()
        )
        OrderFactory(unit=unit, status=Order.Status.RATED, rating=4, delivered_at=timezone.now())
        PairingFactory(unit=unit, starts_on=timezone.localdate().replace(month=1, day=1 + i))
    StarRating.objects.create(unit=unit, grid_node=unit.grid_node, year=2026, month=n, score=90, stars=4)


def test_the_unit_page_shows_what_it_offers_and_has_done_with_the_phone_masked(client, community):
    unit = MemberUnitFactory(grid_node=community, contact_phone="13812345678", star_rating=4)
    fill(unit, 2)
    page = client.get(reverse("unit", args=[unit.pk])).content.decode()
    for text in (
        "会议室开放1",
        "社区评分 5 分",
        "居民点赞0",
        "已送达 2 单，2 单获评价，平均 4.0 分",
        "评定 4 星",
        "138****5678",
    ):
        assert text in page, text
    assert "13812345678" not in page
    assert page.count('href="/members/pairings/') == 2


def test_a_withdrawn_unit_has_no_public_page(client, community):
    unit = MemberUnitFactory(grid_node=community, status=MemberUnit.Status.WITHDRAWN)
    assert client.get(reverse("unit", args=[unit.pk])).status_code == 404


@pytest.mark.parametrize("rows", [1, 6])
def test_the_unit_page_and_the_list_run_fixed_queries(client, community, django_assert_num_queries, rows):
    unit = MemberUnitFactory(grid_node=community)
    fill(unit, rows)
    for _ in range(rows):
        MemberUnitFactory(grid_node=community)
    # unit, resources, claims, orders, order figures, pairings (rows, commitments, services, reviews), stars
    with django_assert_num_queries(10):
        assert client.get(reverse("unit", args=[unit.pk])).status_code == 200
    # count, rows with grid node and party organisation
    with django_assert_num_queries(2):
        assert client.get(reverse("units")).status_code == 200
    with django_assert_num_queries(2):
        assert client.get(reverse("units"), {"q": "测试"}).status_code == 200


def test_a_refused_search_shows_the_list_with_400(client, community):
    MemberUnitFactory(grid_node=community)
    assert client.get(reverse("units"), {"q": "x" * 500}).status_code == 400
