"""/api/v1/dual-reports/: members list, create and resubmit their own; staff list their subtree's; the community's
admins confirm and return. Fixed queries on the list."""

import pytest
from rest_framework.test import APIClient

from alliance.volunteering.models import DualReport
from tests.volunteering.factories import DualReportFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/dual-reports/"


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_member_creates_and_lists_their_own(member_user, community, micro_grid, other_community):
    DualReportFactory(member__community=other_community)  # someone else's
    client = _client(member_user)
    body = {
        "community": community.pk,
        "micro_grid": micro_grid.pk,
        "in_service": False,
        "serve_times": ["weekends"],
        "volunteer_role": "楼栋志愿者",
    }
    response = client.post(URL, body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["status_label"] == "待确认" and response.json()["post"] == "志愿岗位：楼栋志愿者"
    listed = client.get(URL).json()["results"]
    assert [r["id"] for r in listed] == [response.json()["id"]]
    # Two posts at once: a field error.
    assert client.post(URL, {**body, "menu_item": None, "team": 999999}, format="json").status_code == 400


def test_a_resident_cannot_report(resident, community):
    body = {"community": community.pk, "serve_times": ["weekends"], "volunteer_role": "楼栋志愿者"}
    assert _client(resident).post(URL, body, format="json").status_code == 403


def test_staff_confirm_and_return_in_their_scope(community, community_admin, other_community_admin, grid_worker):
    report = DualReportFactory(member__community=community)
    assert _client(other_community_admin).post(f"{URL}{report.pk}/confirm/").status_code == 404
    assert _client(grid_worker).post(f"{URL}{report.pk}/confirm/").status_code == 403
    assert _client(community_admin).post(f"{URL}{report.pk}/return/", {"reason": ""}, format="json").status_code == 400
    response = _client(community_admin).post(f"{URL}{report.pk}/return/", {"reason": "请补充工作单位"}, format="json")
    assert response.status_code == 200 and response.json()["return_reason"] == "请补充工作单位"
    assert _client(community_admin).post(f"{URL}{report.pk}/confirm/").status_code == 409


def test_the_member_resubmits_through_the_api(member_user, community, community_admin):
    client = _client(member_user)
    body = {
        "community": community.pk,
        "party_organization": "区卫健局机关党支部",
        "serve_note": "周六上午",
        "volunteer_role": "楼栋志愿者",
    }
    pk = client.post(URL, body, format="json").json()["id"]
    _client(community_admin).post(f"{URL}{pk}/return/", {"reason": "请写明可服务时间"}, format="json")
    response = client.post(f"{URL}{pk}/resubmit/", {**body, "serve_times": ["weekends"]}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "resubmitted"
    assert _client(community_admin).post(f"{URL}{pk}/confirm/").json()["status"] == "confirmed"
    assert DualReport.objects.get(pk=pk).member.reported_on is not None


@pytest.mark.parametrize("n", [1, 12])
def test_the_staff_list_runs_fixed_queries(community, community_admin, n, django_assert_num_queries):
    for _ in range(n):
        DualReportFactory(member__community=community)
    client = _client(community_admin)
    # count, the page of reports with their links, their skills
    with django_assert_num_queries(3):
        response = client.get(URL)
    assert response.json()["count"] == n
