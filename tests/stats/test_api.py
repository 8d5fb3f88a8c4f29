"""/api/v1/points/ (own, unit's or scoped entries) and /api/v1/stats/ (public figures)."""

import pytest

from tests.members.factories import PartyMemberFactory, UserFactory
from tests.points.factories import PointsEntryFactory
from tests.stats.world import EXPECTED, YEAR, build

pytestmark = pytest.mark.django_db


def test_a_member_lists_only_own_points(client, community, other_community_admin):
    user = UserFactory(role="party_member", grid_node=community)
    mine = PointsEntryFactory(member=PartyMemberFactory(user=user, community=community), points=3)
    PointsEntryFactory(member=PartyMemberFactory(community=community), points=5)
    client.force_login(user)
    body = client.get("/api/v1/points/").json()
    assert [r["id"] for r in body["results"]] == [mine.pk]
    client.force_login(other_community_admin)
    assert client.get("/api/v1/points/").json()["count"] == 0  # another community: nothing
    client.logout()
    assert client.get("/api/v1/points/").status_code in (401, 403)


@pytest.mark.parametrize("extra", [0, 5])
def test_points_list_runs_fixed_queries(client, community, street_admin, extra, django_assert_num_queries):
    for _ in range(2 + extra):
        PointsEntryFactory(member=PartyMemberFactory(community=community), points=1)
    client.force_login(street_admin)
    # session, user, the admin's node, count, page with members and units
    with django_assert_num_queries(5):
        assert client.get("/api/v1/points/").status_code == 200


def test_stats_api_returns_the_public_figures(client, street, community, other_community):
    build(street, community, other_community)
    body = client.get("/api/v1/stats/", {"street": street.pk, "year": YEAR}).json()
    assert body["seats"] == EXPECTED["seats"] and body["alliance"] == EXPECTED["alliance"]
    assert body["lists"]["pledged"] == "1500.50"
    assert body["orders"]["total"] == 4 and body["committee"] == EXPECTED["committee"]
    assert body["top10"]["published"] is False  # this month's TOP10, live until published
