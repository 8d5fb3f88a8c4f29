"""The home page's figures are cached for every visitor, kept true when data changes, and survive a dead cache."""

import re

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from members.models import MemberUnit
from tests.faults.conftest import free_port
from tests.members.factories import MemberUnitFactory, PartyMemberFactory

pytestmark = pytest.mark.django_db


def test_home_figures_come_from_the_cache_and_change_with_the_data(client, community, django_assert_num_queries):
    unit = MemberUnitFactory(grid_node=community)
    assert client.get(reverse("home")).context["figures"]["units"] == 1

    with django_assert_num_queries(0):  # an anonymous home page touches no table once its figures are cached
        client.get(reverse("home"))

    MemberUnitFactory(grid_node=community)
    PartyMemberFactory(community=community, unit=unit)
    figures = client.get(reverse("home")).context["figures"]
    assert (figures["units"], figures["party_members"]) == (2, 1)

    unit.status = MemberUnit.Status.WITHDRAWN
    unit.save(update_fields=["status"])
    assert client.get(reverse("home")).context["figures"]["units"] == 1
    MemberUnit.objects.get(pk=unit.pk).delete()
    assert client.get(reverse("home")).context["figures"]["units"] == 1


def test_home_answers_with_live_figures_when_the_cache_server_is_down(client, community, settings):
    MemberUnitFactory(grid_node=community)
    dead = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    settings.CACHES = {"default": {"BACKEND": "alliance.core.redis_cache.RedisCache", "LOCATION": dead}}
    with pytest.raises(Exception):  # noqa: B017 - really down
        caches["default"].get("anything")

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert response.context["figures"]["units"] == 1


def _token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def test_anonymous_home_page_is_served_from_the_cache_with_each_visitor_s_own_csrf_token(
    community, django_assert_num_queries
):
    MemberUnitFactory(grid_node=community)
    Client().get(reverse("home"))  # renders and caches the page

    visitors = [Client(enforce_csrf_checks=True) for _ in range(2)]
    tokens = []
    for visitor in visitors:
        with django_assert_num_queries(0):
            page = visitor.get(reverse("home"))
        assert "联盟概况" in page.content.decode()
        tokens.append(_token(page.content.decode()))
        # The language form works with this visitor's token and cookie.
        switched = visitor.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": tokens[-1]})
        assert switched.status_code == 302
    assert tokens[0] != tokens[1]


def test_signed_in_visitors_never_get_the_anonymous_page(client, resident):
    Client().get(reverse("home"))
    client.force_login(resident)

    page = client.get(reverse("home")).content.decode()

    assert resident.name in page and "退出" in page
