"""seed_city's party members (alliance.demo.city_people) at a thousandth of the city: Chinese names, each in their
unit's community, unique phones, and a second run adds nothing."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F

from members.models import PartyMember
from tests.services.factories import category

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="seed_city is PostgreSQL only")
def test_party_members_are_seeded_once_in_their_units_communities_with_chinese_names():
    category("elderly-1")
    category("elderly-2")

    call_command("seed_city", scale=0.001, stdout=io.StringIO())

    city = PartyMember.objects.filter(unit__name__startswith="CITY单位")
    assert city.count() == 100
    assert not city.exclude(community=F("unit__grid_node")).exists()
    assert city.filter(community__level=2, community__code__startswith="CITY-C").count() == 100
    names = list(city.values_list("name", flat=True))
    assert all(2 <= len(n) <= 3 and all("\u4e00" <= ch <= "\u9fff" for ch in n) for n in names)
    assert len(set(names)) > 50
    assert len(set(city.values_list("phone", flat=True))) == 100

    call_command("seed_city", scale=0.001, stdout=io.StringIO())
    assert PartyMember.objects.filter(unit__name__startswith="CITY单位").count() == 100
