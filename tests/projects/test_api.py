"""The API of the three lists: public reads, transitions as actions, 409 on a full project, fixed query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from projects.models import Claim, Match, Project, Wish
from tests.members.factories import MemberUnitFactory, UnitOperatorFactory
from tests.projects.factories import (
    ClaimFactory,
    MatchFactory,
    NeedFactory,
    PledgeFactory,
    ProjectFactory,
    ResourceFactory,
    WishFactory,
    category,
)


@pytest.fixture
def api():
    return APIClient()


def test_full_project_answers_409_in_chinese(api, community):
    project = ProjectFactory(grid_node=community, capacity=1)
    first, second = (UnitOperatorFactory(unit=MemberUnitFactory(grid_node=community)) for _ in range(2))
    api.force_authenticate(first)
    assert api.post(f"/api/v1/projects/{project.pk}/claim/", {"note": "我们来"}).status_code == 201
    api.force_authenticate(second)
    response = api.post(f"/api/v1/projects/{project.pk}/claim/")
    assert response.status_code == 409
    assert response.json()["detail"] == "该项目认领名额已满"


def test_a_claim_names_its_project_by_id_whatever_the_lists_filters_say(api, community):
    """The project of ``projects/{id}/claim/`` is found by its id: a list's filter left in the address (a status the
    project is not in, an id out of range) neither hides it (a 404) nor is read (no filter form is built)."""
    project = ProjectFactory(grid_node=community, capacity=2)
    api.force_authenticate(UnitOperatorFactory(unit=MemberUnitFactory(grid_node=community)))
    response = api.post(f"/api/v1/projects/{project.pk}/claim/?status=completed&category=99999999999999999999")
    assert response.status_code == 201, response.content
    assert Claim.objects.get(pk=response.json()["id"]).project == project


def test_a_claim_reads_its_project_once_under_its_lock_and_answers_404_for_one_it_cannot_see(api, community):
    """The claim reads the project once, with the row lock (no read before it), among the projects the claimer may
    see: a draft, a missing id or one that is not a number is a 404 with nothing written, as before."""
    project = ProjectFactory(grid_node=community, capacity=2)
    draft = ProjectFactory(grid_node=community, status=Project.Status.DRAFT)
    api.force_authenticate(UnitOperatorFactory(unit=MemberUnitFactory(grid_node=community)))
    with CaptureQueriesContext(connection) as queries:
        assert api.post(f"/api/v1/projects/{project.pk}/claim/").status_code == 201
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "projects_project"' in q["sql"]]
    assert len(reads) == 1 and reads[0].endswith("FOR UPDATE"), reads
    for pk in (draft.pk, 10**12, "abc", 2**63):
        response = api.post(f"/api/v1/projects/{pk}/claim/")
        assert response.status_code == 404, (pk, response.content)
    assert Claim.objects.count() == 1
    draft.refresh_from_db()
    assert draft.active_claims == 0


def test_claim_approve_report_evaluate_through_the_api(api, unit_operator, community_admin, community):
    project = ProjectFactory(grid_node=community)
    api.force_authenticate(unit_operator)
    claim_id = api.post(f"/api/v1/projects/{project.pk}/claim/").json()["id"]
    assert api.post(f"/api/v1/claims/{claim_id}/approve/").status_code == 403

    api.force_authenticate(community_admin)
    assert api.post(f"/api/v1/claims/{claim_id}/approve/").json()["status"] == "approved"

    api.force_authenticate(unit_operator)
    assert api.post(f"/api/v1/claims/{claim_id}/report/", {"text": "已入户走访12户"}).status_code == 201
    assert api.post(f"/api/v1/claims/{claim_id}/complete/").json()["status"] == "completed"

    api.force_authenticate(community_admin)
    bad = api.post(f"/api/v1/claims/{claim_id}/evaluate/", {"rating": 9})
    assert bad.status_code == 400
    done = api.post(f"/api/v1/claims/{claim_id}/evaluate/", {"rating": 4, "comment": "认真负责"})
    assert (done.json()["status"], done.json()["rating"]) == ("evaluated", 4)


def test_anonymous_cannot_write_and_sees_no_drafts(api, community):
    ProjectFactory(grid_node=community, status=Project.Status.DRAFT, title="内部草稿")
    ProjectFactory(grid_node=community, title="公开项目")
    titles = [p["title"] for p in api.get("/api/v1/projects/").json()["results"]]
    assert titles == ["公开项目"]
    assert api.post("/api/v1/needs/", {"title": "x"}).status_code in (401, 403)


def test_out_of_scope_claim_is_404(api, other_community_admin, community):
    claim = ClaimFactory(project=ProjectFactory(grid_node=community))
    api.force_authenticate(other_community_admin)
    assert api.post(f"/api/v1/claims/{claim.pk}/approve/").status_code == 404


def test_operator_publishes_and_retires_a_resource(api, unit_operator):
    api.force_authenticate(unit_operator)
    response = api.post(
        "/api/v1/resources/", {"title": "法律咨询志愿服务", "category": category("housing_safety-4").pk}
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["unit"], body["status"]) == (unit_operator.unit_id, "available")
    assert api.post(f"/api/v1/resources/{body['id']}/retire/").json()["status"] == "retired"


def test_staff_publish_a_need_and_filter_by_text(api, community_admin, community):
    api.force_authenticate(community_admin)
    created = api.post(
        "/api/v1/needs/",
        {"title": "楼道照明改造", "category": category("housing_safety-1").pk, "grid_node": community.pk},
    )
    assert created.status_code == 201, created.json()
    NeedFactory(grid_node=community, title="老人助餐")
    found = api.get("/api/v1/needs/", {"q": "照明"}).json()
    assert [n["title"] for n in found["results"]] == ["楼道照明改造"]


def test_match_accept_and_dismiss(api, community_admin, community):
    match = MatchFactory(need=NeedFactory(grid_node=community), resource=ResourceFactory())
    api.force_authenticate(community_admin)
    accepted = api.post(f"/api/v1/matches/{match.pk}/accept/").json()
    assert accepted["status"] == "accepted" and accepted["project"]
    other = MatchFactory(need=NeedFactory(grid_node=community), resource=ResourceFactory())
    assert api.post(f"/api/v1/matches/{other.pk}/dismiss/").json()["status"] == "dismissed"
    assert api.post(f"/api/v1/matches/{other.pk}/accept/").status_code == 400


def test_wish_api_from_post_to_claim(api, resident, community_admin, unit_operator, community):
    api.force_authenticate(resident)
    wish_id = api.post("/api/v1/wishes/", {"title": "想学用智能手机"}).json()["id"]
    api.force_authenticate(community_admin)
    assert api.post(f"/api/v1/wishes/{wish_id}/review/", {"publish": True}).json()["status"] == "published"
    api.force_authenticate(unit_operator)
    assert api.post(f"/api/v1/wishes/{wish_id}/claim/").json()["status"] == "claimed"
    assert Wish.objects.get(pk=wish_id).claimant_unit == unit_operator.unit


def test_pledge_and_public_account(api, unit_operator, community_admin, community):
    project = ProjectFactory(grid_node=community, crowdfunding_target=2000)
    api.force_authenticate(unit_operator)
    assert api.post(f"/api/v1/projects/{project.pk}/pledge/", {"amount": "800"}).status_code == 201
    api.force_authenticate(community_admin)
    over = api.post(
        f"/api/v1/projects/{project.pk}/expenditures/", {"item": "购书", "amount": "900", "spent_on": "2026-11-01"}
    )
    assert over.status_code == 400
    api.force_authenticate(None)
    body = api.get(f"/api/v1/projects/{project.pk}/").json()
    assert (body["pledged"], body["spent"]) == ("800.00", "0.00")


def _build(community, n):
    unit = MemberUnitFactory(grid_node=community)
    for _ in range(n):
        need = NeedFactory(grid_node=community)
        resource = ResourceFactory(unit=unit)
        project = ProjectFactory(grid_node=community, crowdfunding_target=1000)
        ClaimFactory(project=project, unit=MemberUnitFactory(grid_node=community))
        PledgeFactory(project=project, unit=unit)
        MatchFactory(need=need, resource=resource)
        WishFactory(grid_node=community, status=Wish.Status.PUBLISHED)


LISTS = {
    # url: queries — count, then one page with its joins (session auth adds none: force_authenticate)
    "/api/v1/categories/": 2,
    "/api/v1/resources/": 2,
    "/api/v1/needs/": 2,
    "/api/v1/projects/": 2,
    "/api/v1/claims/": 2,
    "/api/v1/pledges/": 2,
    "/api/v1/matches/": 2,
    "/api/v1/wishes/": 2,
}


@pytest.mark.parametrize("url", LISTS)
def test_api_lists_run_a_fixed_number_of_queries(api, superuser, community, django_assert_num_queries, url):
    api.force_authenticate(superuser)
    _build(community, 2)
    with django_assert_num_queries(LISTS[url]):
        few = api.get(url)
    _build(community, 8)
    with django_assert_num_queries(LISTS[url]):
        many = api.get(url)
    assert few.status_code == many.status_code == 200
    assert many.json()["count"] >= few.json()["count"]
    assert Claim.objects.exists() and Match.objects.exists()
