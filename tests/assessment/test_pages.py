"""Published results on the portal and in the API; drafts never public; fixed queries; the admin's buttons."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from alliance.assessment import actions
from alliance.assessment.models import Assessment, Status
from tests.assessment.conftest import YEAR
from tests.members.factories import MemberUnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(world, street_admin):
    assessment = actions.open_assessment(by=street_admin, street=world.street, year=YEAR)
    actions.compute_assessment(by=street_admin, assessment=assessment)
    actions.publish_assessment(by=street_admin, assessment=assessment)
    rating = actions.open_grid_stars(by=street_admin, street=world.street, year=YEAR, quarter=2)
    actions.compute_grid_stars(by=street_admin, rating=rating)
    actions.publish_grid_stars(by=street_admin, rating=rating)
    return assessment, rating


@pytest.fixture
def draft(world, street_admin):
    assessment = actions.open_assessment(by=street_admin, street=world.street, year=YEAR - 1)
    return actions.compute_assessment(by=street_admin, assessment=assessment)


def test_a_resident_sees_the_published_results_ranked_with_their_components(client, published, draft, world):
    assessment, rating = published
    page = client.get(reverse("alliance:assessments")).content.decode()
    assert f"{YEAR}年度年终考核" in page and f"{YEAR - 1}年度" not in page
    page = client.get(reverse("alliance:assessment", args=[assessment.pk])).content.decode()
    assert "第1名 · 舜耕供电所" in page and "合格" in page and "66.3" in page
    assert "第2名 · 舜玉小学" in page and "不合格" in page
    assert "权重：认领项目 20，服务送达 25" in page
    page = client.get(reverse("alliance:assessment", args=[assessment.pk]), {"kind": "micro_grid"}).content.decode()
    assert "舜园1号楼微网格" in page and "61.8" in page and "舜耕供电所" not in page
    page = client.get(reverse("alliance:grid_stars", args=[rating.pk])).content.decode()
    assert "第1名 · 舜园2号楼微网格" in page and "★★" in page and "按时办结 2/4" in page
    assert "本季度没有反映事项的，按时办结率按100%计" in page


def test_a_draft_is_never_public(client, draft, resident):
    client.force_login(resident)
    assert client.get(reverse("alliance:assessment", args=[draft.pk])).status_code == 404
    assert APIClient().get(f"/api/v1/assessments/{draft.pk}/").status_code == 404


def test_a_bad_kind_shows_the_default_with_400(client, published):
    response = client.get(reverse("alliance:assessment", args=[published[0].pk]), {"kind": "x" * 200})
    assert response.status_code == 400 and "舜耕供电所" in response.content.decode()


def test_the_results_page_takes_the_same_queries_for_one_row_or_many(client, published, world, street_admin):
    assessment, _rating = published
    url = reverse("alliance:assessment", args=[assessment.pk])
    # The assessment with its street, the count, the page of rows.
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"kind": "station"})  # one station
    for _n in range(30):
        MemberUnitFactory(grid_node=world.community)
    other = actions.open_assessment(by=street_admin, street=world.street, year=YEAR + 1)
    actions.compute_assessment(by=street_admin, assessment=other)
    actions.publish_assessment(by=street_admin, assessment=other)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("alliance:assessment", args=[other.pk]))  # 32 units
    assert len(few.captured_queries) == len(many.captured_queries) == 3


def test_the_list_pages_take_fixed_queries(client, published, django_assert_num_queries):
    with django_assert_num_queries(2):  # the count, the page with the streets
        client.get(reverse("alliance:assessments"))
    with django_assert_num_queries(2):
        client.get(reverse("alliance:grid_star_list"))
    with django_assert_num_queries(3):  # the rating, the count, the page
        client.get(reverse("alliance:grid_stars", args=[published[1].pk]))


def test_the_api_shows_published_to_all_and_drafts_to_staff_in_scope(published, draft, street_admin, community_admin):
    api = APIClient()
    assert [a["year"] for a in api.get("/api/v1/assessments/").json()["results"]] == [YEAR]
    detail = api.get(f"/api/v1/assessments/{published[0].pk}/").json()
    assert {r["name"] for r in detail["results"]} >= {"舜耕供电所", "舜园1号楼微网格", "舜园社区党群服务站"}
    assert detail["results"][0]["grade_label"]
    api.force_authenticate(street_admin)
    assert sorted(a["status"] for a in api.get("/api/v1/assessments/").json()["results"]) == ["draft", "published"]
    api.force_authenticate(community_admin)  # the street's drafts are not in a community's subtree
    assert [a["status"] for a in api.get("/api/v1/assessments/").json()["results"]] == ["published"]
    assert APIClient().get("/api/v1/assessments/", {"year": "abc"}).status_code == 400


def test_the_api_detail_takes_fixed_queries(published, django_assert_num_queries):
    with django_assert_num_queries(2):  # the assessment with its street, its results
        APIClient().get(f"/api/v1/assessments/{published[0].pk}/")


def test_the_admin_buttons_compute_and_publish(client, world, street_admin, community_admin):
    assessment = actions.open_assessment(by=street_admin, street=world.street, year=YEAR)
    client.force_login(street_admin)
    base = f"/admin/assessment/assessment/{assessment.pk}/transition/"
    assert client.post(base + "compute/", {"confirm": "yes"}).status_code == 302
    assert client.post(base + "publish/", {"confirm": "yes"}).status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == Status.PUBLISHED and assessment.results.count() == 6
    page = client.get(f"/admin/assessment/assessment/{assessment.pk}/change/").content.decode()
    assert "舜耕供电所" in page
    export = client.get("/admin/assessment/assessmentresult/export-excel/")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    client.force_login(community_admin)
    assert client.get(f"/admin/assessment/assessment/{assessment.pk}/change/").status_code == 404


def test_a_community_admin_cannot_add_weights_in_the_admin(client, street, community_admin, street_admin):
    client.force_login(community_admin)
    assert client.get("/admin/assessment/assessmentweights/add/").status_code == 403
    client.force_login(street_admin)
    data = {"street": street.pk, "year": YEAR, "w_claims": 50, "w_services": 25, "w_meetings": 15}
    data |= {"w_issues": 20, "w_satisfaction": 20}
    page = client.post("/admin/assessment/assessmentweights/add/", data).content.decode()
    assert "五项权重之和必须为100，现在是130。" in page
    data["w_claims"] = 20
    assert client.post("/admin/assessment/assessmentweights/add/", data).status_code == 302
    assert Assessment.objects.count() == 0
