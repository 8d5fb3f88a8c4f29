"""The home page's figures are cached for every visitor, kept true when data changes, and survive a dead cache."""

import pytest
from django.core.cache import caches
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
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": dead}}
    with pytest.raises(Exception):  # noqa: B017 - really down
        caches["default"].get("anything")

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert response.context["figures"]["units"] == 1
