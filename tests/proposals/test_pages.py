"""The proposals' pages: the public list and a proposal's page (fixed queries, no personal data), proposing with
photos, supporting and commenting signed in, refusals signed out."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from alliance.proposals import actions
from alliance.proposals.models import Proposal, Support
from tests.alliance.factories import MatterFactory
from tests.members.factories import ResidentFactory
from tests.proposals.factories import CommentFactory, ProposalFactory, SupportFactory

S = Proposal.Status
pytestmark = pytest.mark.django_db


def published(community, n=1, **kwargs):
    return [ProposalFactory(community=community, status=S.PUBLISHED, **kwargs) for _ in range(n)]


def test_the_public_list_shows_open_and_raised_proposals_with_their_supports_not_pending_ones(client, community):
    shown = ProposalFactory(community=community, status=S.PUBLISHED, title="增设休闲座椅", support_count=7)
    ProposalFactory(community=community, status=S.SUBMITTED, title="还在审核的建议")
    ProposalFactory(community=community, status=S.DECLINED, title="没有采纳的建议")

    page = client.get(reverse("proposals:proposals")).content.decode()

    assert shown.title in page and "7 人支持" in page and "征集支持中" in page
    assert "还在审核的建议" not in page and "没有采纳的建议" not in page


def test_the_list_filters_by_community_and_refuses_a_bad_filter_with_400(client, community, other_community):
    ProposalFactory(community=community, status=S.PUBLISHED, title="本社区的建议")
    ProposalFactory(community=other_community, status=S.PUBLISHED, title="隔壁社区的建议")

    page = client.get(reverse("proposals:proposals"), {"community": community.pk}).content.decode()
    assert "本社区的建议" in page and "隔壁社区的建议" not in page
    assert client.get(reverse("proposals:proposals"), {"community": "abc"}).status_code == 400


def _queries_of(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_runs_the_same_queries_for_one_row_and_many(client, community, other_community):
    published(community, 1)
    url = reverse("proposals:proposals")
    one = _queries_of(client, url)
    published(community, 8)
    published(other_community, 8)

    # signed out: the communities of the filter, the count, the page's rows (with place, author, matter), the
    # rules of the page's communities
    assert _queries_of(client, url) == one == 4


def test_a_proposal_page_runs_the_same_queries_with_one_comment_and_many(client, community):
    p = published(community)[0]
    CommentFactory(proposal=p)
    url = reverse("proposals:proposal", args=[p.pk])
    one = _queries_of(client, url)
    for _ in range(10):
        CommentFactory(proposal=p)
        SupportFactory(proposal=p)

    # signed out: the proposal (with place, author, merge target, matter), its photos, its shown comments with
    # their authors, the community's rule
    assert _queries_of(client, url) == one == 4


def test_public_pages_show_a_masked_author_never_a_phone_or_full_name(client, community):
    author = ResidentFactory(grid_node=community, display_name="王秀英", phone="13812345678", username="13812345678")
    p = ProposalFactory(community=community, status=S.PUBLISHED, author=author)
    commenter = ResidentFactory(grid_node=community, display_name="李建国", phone="13987654321")
    CommentFactory(proposal=p, author=commenter, text="赞成")

    for url in (
        reverse("proposals:proposals"),
        reverse("proposals:proposal", args=[p.pk]),
        f"/api/v1/proposals/{p.pk}/",
    ):
        response = client.get(url)
        body = response.content.decode()
        assert (response.json()["author"] if url.startswith("/api/") else body).count("王**") >= 1
        for secret in ("王秀英", "13812345678", "李建国", "13987654321", "1381234"):
            assert secret not in body, (url, secret)


def test_pending_and_declined_proposals_are_the_authors_and_staff_only(client, community, resident, community_admin):
    p = ProposalFactory(community=community, author=resident, status=S.DECLINED, decline_reason="已列入改造计划")
    url = reverse("proposals:proposal", args=[p.pk])

    assert client.get(url).status_code == 404
    client.force_login(resident)
    assert "已列入改造计划" in client.get(url).content.decode()
    client.force_login(community_admin)
    assert "审核记录" in client.get(url).content.decode()


def test_a_merged_proposal_points_to_the_one_it_was_merged_into(client, community, community_admin):
    target, duplicate = published(community, 2)
    actions.merge_proposal(by=community_admin, proposal=duplicate, into=target)

    page = client.get(reverse("proposals:proposal", args=[duplicate.pk])).content.decode()

    assert "已合并" in page and reverse("proposals:proposal", args=[target.pk]) in page


def test_a_raised_proposal_shows_the_matters_result_and_follow_up(client, community):
    matter = MatterFactory(status="resolved", resolution="年内更换声控灯。", progress=60, progress_note="已采购灯具")
    p = ProposalFactory(community=community, status=S.RAISED, matter=matter)

    page = client.get(reverse("proposals:proposal", args=[p.pk])).content.decode()

    assert "已议决，落实中" in page and "年内更换声控灯。" in page and "已采购灯具" in page


def _photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "JPEG")
    return SimpleUploadedFile("light.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_a_resident_proposes_with_a_photo_and_sees_it_in_my_proposals(client, resident, community):
    client.force_login(resident)
    response = client.post(
        reverse("proposals:new"),
        {"title": "楼道灯不亮", "text": "3号楼楼道灯坏了。", "community": community.pk, "photos": [_photo()]},
    )

    p = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("proposals:proposal", args=[p.pk])
    assert p.photos.count() == 1 and p.status == S.SUBMITTED
    assert "楼道灯不亮" in client.get(reverse("proposals:mine")).content.decode()


def test_the_place_picked_on_the_map_is_kept_and_half_a_point_is_refused(client, resident, community):
    client.force_login(resident)
    page = client.get(reverse("proposals:new")).content.decode()
    assert 'data-map="picker"' in page and 'id="map-config"' in page  # the map picker, configured without a script

    body = {"title": "增设休闲座椅", "text": "广场东侧没有座椅。", "community": community.pk}
    response = client.post(reverse("proposals:new"), {**body, "lat": "36.602100"})
    assert response.status_code == 200 and "地图上的位置不完整" in response.content.decode()
    assert not Proposal.objects.exists()

    client.post(reverse("proposals:new"), {**body, "lat": "36.602100", "lng": "117.006300"})
    p = Proposal.objects.get()
    assert (str(p.lat), str(p.lng)) == ("36.602100", "117.006300")


def test_more_than_three_photos_are_refused_on_the_form(client, resident, community):
    client.force_login(resident)
    response = client.post(
        reverse("proposals:new"),
        {"title": "座椅", "text": "增设座椅", "community": community.pk, "photos": [_photo() for _ in range(4)]},
    )

    assert response.status_code == 200 and "最多上传3张照片" in response.content.decode()
    assert not Proposal.objects.exists()


def test_supporting_and_commenting_from_the_page(client, community):
    p = published(community)[0]
    neighbour = ResidentFactory(grid_node=community)
    client.force_login(neighbour)

    client.post(reverse("proposals:support", args=[p.pk]))
    client.post(reverse("proposals:support", args=[p.pk]))  # twice: told so, counted once
    client.post(reverse("proposals:comment", args=[p.pk]), {"text": "赞成，早该修了。"})

    p.refresh_from_db()
    assert p.support_count == 1 and Support.objects.filter(proposal=p).count() == 1
    page = client.get(reverse("proposals:proposal", args=[p.pk])).content.decode()
    assert "赞成，早该修了。" in page and "您已支持这条建议。" in page


def test_signed_out_writes_go_to_sign_in_and_change_nothing(client, community):
    p = published(community)[0]

    for name in ("support", "comment", "withdraw"):
        response = client.post(reverse(f"proposals:{name}", args=[p.pk]), {"text": "x"})
        assert response.status_code == 302 and "/login" in response["Location"]
    assert client.get(reverse("proposals:new")).status_code == 302
    p.refresh_from_db()
    assert p.support_count == 0 and not p.comments.exists()


def test_supporting_is_rate_limited(client, community, settings):
    settings.RATE_LIMITS = {"support": "2/h"}
    proposals = published(community, 3)
    client.force_login(ResidentFactory(grid_node=community))

    answers = [client.post(reverse("proposals:support", args=[p.pk])).status_code for p in proposals]

    assert answers == [302, 302, 429]
