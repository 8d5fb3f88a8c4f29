"""/api/v1/selections/: the list and detail, the vote (201, then 409), the result once published; fixed queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from alliance.surveys.models import Selection, Vote
from tests.members.factories import CommunityAdminFactory, ResidentFactory, StreetAdminFactory
from tests.surveys.selection_factories import CandidateFactory, VoteFactory, voting_selection

pytestmark = pytest.mark.django_db
S = Selection.Status


def _as(user=None):
    client = APIClient(raise_request_exception=False)
    if user is not None:
        client.force_authenticate(user)
    return client


def test_a_resident_reads_votes_once_and_sees_the_vote_in_the_list(community):
    selection = voting_selection(community)
    candidate = selection.candidates.first()
    resident = ResidentFactory(grid_node=community)
    api = _as(resident)

    detail = api.get(f"/api/v1/selections/{selection.pk}/").json()
    assert [c["id"] for c in detail["candidates"]] == list(selection.candidates.values_list("pk", flat=True))
    assert detail["status"] == "voting" and detail["status_label"] == "投票中" and detail["my_vote"] is None

    response = api.post(f"/api/v1/selections/{selection.pk}/vote/", {"candidate": candidate.pk}, format="json")
    assert response.status_code == 201 and response.json()["candidate_name"] == candidate.name
    again = api.post(f"/api/v1/selections/{selection.pk}/vote/", {"candidate": candidate.pk}, format="json")
    assert again.status_code == 409 and again.json()["detail"] == "您已经投过票了，每人只能投一票。"

    row = next(r for r in api.get("/api/v1/selections/").json()["results"] if r["id"] == selection.pk)
    assert row["my_vote"] == candidate.pk
    assert Vote.objects.count() == 1


def test_refusals_in_the_api(community, other_community):
    selection = voting_selection(community)
    other = voting_selection(other_community)
    url = f"/api/v1/selections/{selection.pk}/vote/"
    body = {"candidate": selection.candidates.first().pk}

    assert _as().post(url, body, format="json").status_code == 401
    assert _as(ResidentFactory(grid_node=other_community)).post(url, body, format="json").status_code == 403
    assert _as(StreetAdminFactory(grid_node=community.parent)).post(url, body, format="json").status_code == 403
    resident = _as(ResidentFactory(grid_node=community))
    wrong = resident.post(url, {"candidate": other.candidates.first().pk}, format="json")
    assert wrong.status_code == 400 and "candidate" in wrong.json()
    for bad in ({}, {"candidate": "x"}, {"candidate": 0}, {"candidate": 2**70}, {"candidate": 99999999}):
        assert resident.post(url, bad, format="json").status_code == 400, bad
    assert not Vote.objects.exists()


def test_results_only_once_published_and_drafts_only_for_staff_in_scope(community, other_community):
    selection = voting_selection(community, candidates=0, places=1)
    first = CandidateFactory(selection=selection, community=community)
    VoteFactory.create_batch(2, candidate=first)
    VoteFactory(candidate=CandidateFactory(selection=selection, community=community))
    draft = voting_selection(community, status=S.DRAFT)

    assert _as().get(f"/api/v1/selections/{selection.pk}/results/").status_code == 404
    Selection.objects.filter(pk=selection.pk).update(status=S.PUBLISHED, published_at=timezone.now())
    result = _as().get(f"/api/v1/selections/{selection.pk}/results/").json()
    assert result["total_votes"] == 3
    assert [(s["candidate"], s["votes"], s["share"], s["winner"]) for s in result["standings"]][0] == (
        first.pk,
        2,
        66.7,
        True,
    )
    assert "voter" not in str(result)

    assert _as().get(f"/api/v1/selections/{draft.pk}/").status_code == 404
    assert (
        _as(CommunityAdminFactory(grid_node=other_community)).get(f"/api/v1/selections/{draft.pk}/").status_code == 404
    )
    assert _as(CommunityAdminFactory(grid_node=community)).get(f"/api/v1/selections/{draft.pk}/").status_code == 200


def test_the_list_runs_a_fixed_number_of_queries(community):
    resident = ResidentFactory(grid_node=community)
    api = _as(resident)
    voting_selection(community)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert api.get("/api/v1/selections/").status_code == 200
        return len(ctx)

    # the count and the page (with the person's vote in each row)
    first = count()
    for _ in range(12):
        VoteFactory(candidate=voting_selection(community, candidates=2).candidates.first(), voter=resident)
    assert count() == first == 2
