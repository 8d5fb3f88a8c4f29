"""The selections in the admin: a draft with its candidates made through the actions, the workflow as buttons, the
candidates fixed once voting starts, the scope, the live counts and the Excel export of the result."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from alliance.surveys.models import Candidate, Selection
from tests.members.factories import CommunityAdminFactory
from tests.surveys.selection_factories import CandidateFactory, VoteFactory, voting_selection

pytestmark = pytest.mark.django_db
S = Selection.Status


def _inline(rows) -> dict:
    data = {
        "candidates-TOTAL_FORMS": str(len(rows)),
        "candidates-INITIAL_FORMS": "0",
        "candidates-MIN_NUM_FORMS": "0",
        "candidates-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data |= {f"candidates-{i}-{k}": v for k, v in row.items()}
    return data


def test_a_community_admin_makes_a_draft_with_candidates_and_opens_the_voting(client, community, community_admin):
    client.force_login(community_admin)
    start = timezone.localtime() + datetime.timedelta(hours=1)
    end = start + datetime.timedelta(days=7)
    body = {
        "title": "2026年度“最美家庭”评选",
        "description": "每人限投一票。",
        "grid_node": community.pk,
        "starts_at_0": start.strftime("%Y-%m-%d"),
        "starts_at_1": start.strftime("%H:%M:%S"),
        "ends_at_0": end.strftime("%Y-%m-%d"),
        "ends_at_1": end.strftime("%H:%M:%S"),
        "places": "3",
    } | _inline(
        [
            {"name": "张桂兰家庭", "story": "孝老爱亲。", "community": community.pk, "position": "1"},
            {"name": "李建国家庭", "story": "热心邻里。", "community": community.pk, "position": "2"},
        ]
    )
    response = client.post(reverse("admin:surveys_selection_add"), body)
    assert response.status_code == 302, response.content.decode()[:2000]
    selection = Selection.objects.get()
    assert selection.status == S.DRAFT and selection.created_by == community_admin
    assert list(selection.candidates.values_list("name", flat=True)) == ["张桂兰家庭", "李建国家庭"]

    change = reverse("admin:surveys_selection_change", args=[selection.pk])
    page = client.get(change).content.decode()
    assert ">开始投票</button>" in page and ">结束投票</button>" not in page
    url = reverse("admin:surveys_selection_transition", args=[selection.pk, "open_voting"])
    client.post(url, {"confirm": "yes"})
    selection.refresh_from_db()
    assert selection.status == S.VOTING and selection.opened_by == community_admin

    # candidates are fixed now: the inline is read-only, the title too, the state always
    page = client.get(change).content.decode()
    assert 'name="candidates-0-name"' not in page and 'name="title"' not in page and 'name="status"' not in page
    assert ">结束投票</button>" in page and "当前票数" in page


def test_the_admin_of_another_community_sees_nothing_and_the_list_counts_live(client, community, other_community):
    selection = voting_selection(community)
    VoteFactory.create_batch(2, candidate=selection.candidates.first())
    client.force_login(CommunityAdminFactory(grid_node=other_community))
    assert client.get(reverse("admin:surveys_selection_change", args=[selection.pk])).status_code == 404
    assert selection.title not in client.get(reverse("admin:surveys_selection_changelist")).content.decode()
    client.post(reverse("admin:surveys_selection_transition", args=[selection.pk, "close_voting"]), {"confirm": "yes"})
    selection.refresh_from_db()
    assert selection.status == S.VOTING

    client.force_login(CommunityAdminFactory(grid_node=community))
    page = client.get(reverse("admin:surveys_selection_changelist")).content.decode()
    assert selection.title in page and '<td class="field-vote_total">2</td>' in page


def test_the_result_exports_to_excel(client, community, community_admin):
    selection = voting_selection(community, candidates=0)
    first = CandidateFactory(selection=selection, community=community, name="张桂兰家庭")
    CandidateFactory(selection=selection, community=community, name="李建国家庭")
    VoteFactory.create_batch(3, candidate=first)
    client.force_login(community_admin)

    response = client.post(
        reverse("admin:surveys_selection_changelist"),
        {"action": "export_results", "_selected_action": [selection.pk]},
    )

    assert response.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:6] == ("评选名称", "评选状态", "候选名称", "所在社区", "得票数", "得票率（%）")
    assert [r[2:6] for r in rows[1:]] == [
        ("张桂兰家庭", community.name, 3, 100.0),
        ("李建国家庭", community.name, 0, 0.0),
    ]
    assert Candidate.objects.count() == 2


def test_a_candidates_photo_is_checked_and_re_encoded_and_shown_on_the_page(
    client, community, community_admin, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    selection = voting_selection(community, candidates=0, status=S.DRAFT)
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, format="PNG")
    client.force_login(community_admin)
    change = reverse("admin:surveys_selection_change", args=[selection.pk])
    body = {
        "description": selection.description,
        "title": selection.title,
        "grid_node": community.pk,
        "starts_at_0": timezone.localtime(selection.starts_at).strftime("%Y-%m-%d"),
        "starts_at_1": timezone.localtime(selection.starts_at).strftime("%H:%M:%S"),
        "ends_at_0": timezone.localtime(selection.ends_at).strftime("%Y-%m-%d"),
        "ends_at_1": timezone.localtime(selection.ends_at).strftime("%H:%M:%S"),
        "places": "3",
    } | _inline([{"name": "张桂兰家庭", "community": community.pk, "position": "1"}])

    bad = client.post(change, body | {"candidates-0-photo": SimpleUploadedFile("a.png", b"not an image")})
    assert bad.status_code == 200 and not Candidate.objects.exists()
    good = client.post(change, body | {"candidates-0-photo": SimpleUploadedFile("a.png", buffer.getvalue())})
    assert good.status_code == 302
    candidate = Candidate.objects.get()
    assert candidate.photo.name.startswith("selections/") and candidate.photo.name.endswith(".png")
    assert candidate.history.first().history_user == community_admin


def test_only_a_draft_can_be_deleted(client, community, community_admin):
    voting = voting_selection(community)
    draft = voting_selection(community, status=S.DRAFT)
    client.force_login(community_admin)
    assert client.get(reverse("admin:surveys_selection_delete", args=[voting.pk])).status_code == 403
    changelist = reverse("admin:surveys_selection_changelist")
    both = {"action": "delete_selected", "_selected_action": [voting.pk, draft.pk], "post": "yes"}
    assert client.post(changelist, both).status_code == 403  # refused as a whole: nothing deleted
    assert Selection.objects.count() == 2
    client.post(changelist, both | {"_selected_action": [draft.pk]})
    assert list(Selection.objects.values_list("pk", flat=True)) == [voting.pk]
