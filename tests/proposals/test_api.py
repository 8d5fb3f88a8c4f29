"""/api/v1/proposals/: public reads, proposing, supports and comments, moderation by the community's admins."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from alliance.committee.models import Matter
from alliance.proposals.models import Proposal
from tests.members.factories import ResidentFactory
from tests.proposals.factories import CommentFactory, ProposalFactory, ProposalRuleFactory

S = Proposal.Status
pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_is_public_ones_plus_ones_own_in_fixed_queries(community, resident):
    ProposalFactory(community=community, status=S.PUBLISHED)
    mine = ProposalFactory(community=community, author=resident)
    ProposalFactory(community=community)  # someone else's, waiting for review

    assert api().get("/api/v1/proposals/").json()["count"] == 1
    ids = {row["id"] for row in api(resident).get("/api/v1/proposals/").json()["results"]}
    assert mine.pk in ids and len(ids) == 2

    one = _count(api(), "/api/v1/proposals/")
    for _ in range(10):
        ProposalFactory(community=community, status=S.RAISED)
    # the count and the page (proposals with their community, micro-grid, author and matter's committee)
    assert _count(api(), "/api/v1/proposals/") == one == 2


def test_propose_support_comment_and_moderate_through_the_api(community, council, community_admin):
    ProposalRuleFactory(community=community, threshold=1)
    author, neighbour = ResidentFactory(grid_node=community), ResidentFactory(grid_node=community)
    created = api(author).post("/api/v1/proposals/", {"title": "加装电梯", "text": "六层老楼。"}, format="json")
    assert created.status_code == 201 and created.json()["status"] == "submitted"
    pk = created.json()["id"]

    assert api(neighbour).post(f"/api/v1/proposals/{pk}/support/").status_code == 404  # not public yet
    assert api(neighbour).post(f"/api/v1/proposals/{pk}/publish/").status_code == 404
    assert api(community_admin).post(f"/api/v1/proposals/{pk}/publish/").json()["status"] == "published"

    supported = api(neighbour).post(f"/api/v1/proposals/{pk}/support/")
    assert supported.status_code == 200
    assert supported.json()["status"] == "raised" and supported.json()["matter"]["committee"] == council.name
    assert api(neighbour).post(f"/api/v1/proposals/{pk}/support/").status_code == 409
    assert Matter.objects.count() == 1

    comment = api(neighbour).post(f"/api/v1/proposals/{pk}/comments/", {"text": "支持！"}, format="json")
    assert comment.status_code == 201 and comment.json()["author"]
    assert api().get(f"/api/v1/proposals/{pk}/comments/").json()["count"] == 1


def test_declining_needs_a_reason_and_an_admin_of_the_community(community, other_community_admin, community_admin):
    p = ProposalFactory(community=community)

    assert api(community_admin).post(f"/api/v1/proposals/{p.pk}/decline/", {}, format="json").status_code == 400
    assert (
        api(other_community_admin).post(f"/api/v1/proposals/{p.pk}/decline/", {"reason": "重复"}, format="json")
    ).status_code == 404
    declined = api(community_admin).post(f"/api/v1/proposals/{p.pk}/decline/", {"reason": "重复"}, format="json")
    assert declined.json()["decline_reason"] == "重复"


def test_comments_on_a_declined_proposal_are_refused_and_hidden_ones_not_listed(community, resident):
    declined = ProposalFactory(community=community, author=resident, status=S.DECLINED)
    assert (
        api(resident).post(f"/api/v1/proposals/{declined.pk}/comments/", {"text": "?"}, format="json").status_code
        == 400
    )
    p = ProposalFactory(community=community, status=S.PUBLISHED)
    CommentFactory(proposal=p, hidden=True, hide_reason="广告")

    assert api().get(f"/api/v1/proposals/{p.pk}/comments/").json()["count"] == 0


def test_signed_out_writes_are_401(community):
    p = ProposalFactory(community=community, status=S.PUBLISHED)

    for url in ("/api/v1/proposals/", f"/api/v1/proposals/{p.pk}/support/", f"/api/v1/proposals/{p.pk}/comments/"):
        assert api().post(url, {"text": "x"}, format="json").status_code == 401


def test_support_and_comment_are_rate_limited(community, settings):
    settings.RATE_LIMITS = {"support": "1/h", "comment": "1/h"}
    first, second = (ProposalFactory(community=community, status=S.PUBLISHED) for _ in range(2))
    client = api(ResidentFactory(grid_node=community))

    assert client.post(f"/api/v1/proposals/{first.pk}/support/").status_code == 200
    assert client.post(f"/api/v1/proposals/{second.pk}/support/").status_code == 429
    assert client.post(f"/api/v1/proposals/{first.pk}/comments/", {"text": "好"}, format="json").status_code == 201
    assert client.post(f"/api/v1/proposals/{first.pk}/comments/", {"text": "好"}, format="json").status_code == 429
    assert client.get(f"/api/v1/proposals/{first.pk}/comments/").status_code == 200
