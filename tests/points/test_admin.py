"""The points admin: rules editable by street admins, entries read-only and corrected by new entries,
rankings published (frozen) by an action, all scoped to the admin's subtree."""

import datetime

import pytest
from django.urls import reverse

from alliance.points.models import PointsEntry, PointsKind, PointsRanking, PointsRule
from tests.grids.factories import CommunityFactory, StreetFactory
from tests.members.factories import PartyMemberFactory
from tests.points.factories import PointsEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(community):
    mine = PointsEntryFactory(member=PartyMemberFactory(community=community, name="本社区党员"), points=6)
    other = CommunityFactory(parent=StreetFactory(name="西站街道"))
    PointsEntryFactory(member=PartyMemberFactory(community=other, name="外街道党员"), points=9)
    return mine


def test_admins_see_only_entries_of_their_subtree(client, community_admin, entries):
    client.force_login(community_admin)
    html = client.get(reverse("admin:points_pointsentry_changelist")).content.decode()
    assert "本社区党员" in html and "外街道党员" not in html


def test_reversing_an_entry_adds_a_correction_and_keeps_the_original(client, community_admin, entries):
    client.force_login(community_admin)
    response = client.post(
        reverse("admin:points_pointsentry_changelist"),
        {"action": "reverse_entries", "_selected_action": [entries.pk]},
    )
    assert response.status_code == 302
    correction = PointsEntry.objects.get(kind=PointsKind.CORRECTION)
    assert (correction.points, correction.corrects_id) == (-6, entries.pk)
    assert PointsEntry.objects.get(pk=entries.pk).points == 6


def test_entries_cannot_be_added_or_edited_in_the_admin(client, street_admin, entries):
    client.force_login(street_admin)
    assert client.get(reverse("admin:points_pointsentry_add")).status_code == 403
    response = client.post(reverse("admin:points_pointsentry_change", args=[entries.pk]), {"points": 100})
    assert response.status_code == 403
    assert PointsEntry.objects.get(pk=entries.pk).points == 6


def test_street_admin_edits_a_rule(client, street_admin):
    rule, _ = PointsRule.objects.update_or_create(kind=PointsKind.ACTIVITY_CHECKIN, defaults={"points": 2})
    client.force_login(street_admin)
    response = client.post(
        reverse("admin:points_pointsrule_change", args=[rule.pk]),
        {"kind": rule.kind, "points": 5, "min_rating": 4, "description": "每次签到"},
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.points == 5


def test_publish_action_freezes_the_ranking(client, street_admin, street, community, entries):
    ranking = PointsRanking.objects.create(street=street, year=2026, month=3)
    client.force_login(street_admin)
    client.post(
        reverse("admin:points_pointsranking_changelist"), {"action": "publish", "_selected_action": [ranking.pk]}
    )
    ranking.refresh_from_db()
    assert ranking.status == "published" and [r.name for r in ranking.rows.all()] == ["本社区党员"]
    # publishing again is refused with a message, nothing changes
    response = client.post(
        reverse("admin:points_pointsranking_changelist"),
        {"action": "publish", "_selected_action": [ranking.pk]},
        follow=True,
    )
    assert "已发布" in response.content.decode() and ranking.rows.count() == 1
    assert datetime.date(2026, 3, 15) == entries.occurred_on


def test_entries_are_searched_by_the_member_or_the_unit_name_within_the_admins_subtree(
    client, community_admin, community, entries
):
    """The search goes through the members' and units' gram indexes (no own columns): a name, part of it, or a
    unit's name finds the entries; another street's member of the same name stays hidden."""
    PointsEntryFactory(member=PartyMemberFactory(community=community, name="王建国"), points=2)
    other = CommunityFactory(parent=StreetFactory(name="东区街道"))
    PointsEntryFactory(member=PartyMemberFactory(community=other, name="王建国"), points=3)
    client.force_login(community_admin)
    url = reverse("admin:points_pointsentry_changelist")

    found = client.get(url, {"q": "建国"})
    assert found.status_code == 200
    assert [e.points for e in found.context["cl"].result_list] == [2]
    assert list(client.get(url, {"q": "本社区"}).context["cl"].result_list) == [entries]
    assert list(client.get(url, {"q": "没有这个人"}).context["cl"].result_list) == []
