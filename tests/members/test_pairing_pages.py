"""Pairing pages and API: the public list and page (what was promised, what was done), the unit operator's
workspace (their pairings, recording a service), the community page's pairings; fixed queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from members.models import Pairing, PairingCommitment, PairingReview, PairingService
from tests.members.factories import MemberUnitFactory, PairingFactory, UnitOperatorFactory

pytestmark = pytest.mark.django_db


def filled(unit, n_services=1, **kw):
    pairing = PairingFactory(unit=unit, **kw)
    PairingCommitment.objects.create(pairing=pairing, side="unit", text="每月开放会议室两次")
    PairingCommitment.objects.create(pairing=pairing, side="partner", text="为职工子女提供假期托管")
    for i in range(n_services):
        PairingService.objects.create(
            pairing=pairing, served_on=timezone.localdate(), side="unit", what=f"普法讲座{i}", people_served=10, hours=2
        )
    PairingReview.objects.create(pairing=pairing, year=timezone.localdate().year, summary="履约良好", rating=5)
    return pairing


def test_the_public_page_shows_what_was_promised_and_what_was_done(client, unit):
    pairing = filled(unit, n_services=2)
    page = client.get(reverse("members:pairing", args=[pairing.pk])).content.decode()
    for text in (
        "每月开放会议室两次",
        "为职工子女提供假期托管",
        "普法讲座1",
        "履约良好",
        "2 次，服务 20 人次，4.0 小时",
    ):
        assert text in page
    assert "登记一次服务" not in page  # a visitor records nothing


def test_an_ended_pairing_is_hidden_from_the_public_but_shown_to_its_unit_and_staff(
    client, unit, unit_operator, community_admin, other_community_admin
):
    pairing = filled(unit)
    Pairing.objects.filter(pk=pairing.pk).update(status=Pairing.Status.TERMINATED)
    url = reverse("members:pairing", args=[pairing.pk])
    assert client.get(url).status_code == 404
    for user, status in ((unit_operator, 200), (community_admin, 200), (other_community_admin, 404)):
        client.force_login(user)
        assert client.get(url).status_code == status


@pytest.mark.parametrize("rows", [1, 8])
def test_the_list_and_the_page_run_fixed_queries(client, community, django_assert_num_queries, rows):
    unit = MemberUnitFactory(grid_node=community)
    pairings = [filled(unit, n_services=3) for _ in range(rows)]
    # count, rows with both sides, commitments, services, reviews
    with django_assert_num_queries(5):
        assert client.get(reverse("members:pairings")).status_code == 200
    # the pairing with both sides, commitments, services, reviews
    with django_assert_num_queries(4):
        assert client.get(reverse("members:pairing", args=[pairings[-1].pk])).status_code == 200


@pytest.mark.parametrize("rows", [1, 6])
def test_the_community_page_lists_its_pairings_with_one_query_more(client, community, django_assert_num_queries, rows):
    for _ in range(rows):
        PairingFactory(unit=MemberUnitFactory(grid_node=community))
    response = client.get(reverse("grids:node", args=[community.pk]))
    assert response.content.decode().count('href="/members/pairings/') == rows
    # node, ancestors, children, posts, teams (none: no members prefetched), the pairings with both sides
    with django_assert_num_queries(6):
        client.get(reverse("grids:node", args=[community.pk]))


def test_the_operator_records_a_service_from_the_workspace(client, unit, unit_operator):
    pairing = filled(unit, n_services=0)
    client.force_login(unit_operator)
    listing = client.get(reverse("members_ws:pairings")).content.decode()
    assert reverse("members_ws:pairing_service", args=[pairing.pk]) in listing
    url = reverse("members_ws:pairing_service", args=[pairing.pk])
    data = {"served_on": timezone.localdate().isoformat(), "side": "unit", "what": "义诊进社区", "people_served": 35}
    response = client.post(url, {**data, "hours": "3.5", "link_text": ""})
    assert response.status_code == 302
    service = PairingService.objects.get(pairing=pairing)
    assert service.recorded_by == unit_operator and service.what == "义诊进社区"
    later = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    refused = client.post(url, {**data, "hours": "1", "served_on": later})
    assert refused.status_code == 200 and "服务日期不能晚于今天" in refused.content.decode()


def test_another_units_operator_and_a_resident_cannot_record(client, unit, resident, community):
    pairing = filled(unit, n_services=0)
    url = reverse("members_ws:pairing_service", args=[pairing.pk])
    client.force_login(UnitOperatorFactory(unit=MemberUnitFactory(grid_node=community)))
    assert client.get(url).status_code == 404
    client.force_login(resident)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("rows", [1, 7])
def test_the_api_lists_active_pairings_with_fixed_queries(community, django_assert_num_queries, rows):
    unit = MemberUnitFactory(grid_node=community)
    for _ in range(rows):
        filled(unit, n_services=2)
    ended = filled(unit)
    Pairing.objects.filter(pk=ended.pk).update(status=Pairing.Status.EXPIRED)
    client = APIClient()
    # count, rows, commitments, services, reviews
    with django_assert_num_queries(5):
        body = client.get("/api/v1/pairings/").json()
    assert body["count"] == rows
    first = body["results"][0]
    assert first["status_label"] == "生效中" and len(first["services"]) == 2 and first["commitments"][0]["text"]


def test_the_api_records_a_service_for_the_units_operator_only(unit, unit_operator, resident):
    pairing = filled(unit, n_services=0)
    url = f"/api/v1/pairings/{pairing.pk}/services/"
    body = {"served_on": timezone.localdate().isoformat(), "side": "unit", "what": "助老服务", "hours": "2.0"}
    client = APIClient()
    client.force_authenticate(resident)
    assert client.post(url, body, format="json").status_code == 403
    client.force_authenticate(unit_operator)
    response = client.post(url, body, format="json")
    assert response.status_code == 201 and response.json()["what"] == "助老服务"
    assert client.post(url, {**body, "side": "他方"}, format="json").status_code == 400
