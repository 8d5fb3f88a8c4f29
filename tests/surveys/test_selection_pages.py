"""The selections' phone pages: the list of the area, a selection with its 投票 buttons, the vote, the result; each
in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alliance.surveys.models import Selection, Vote
from tests.members.factories import ResidentFactory, StreetAdminFactory, UnitOperatorFactory
from tests.surveys.selection_factories import CandidateFactory, VoteFactory, voting_selection

pytestmark = pytest.mark.django_db
S = Selection.Status


def _published(node, **kw):
    selection = voting_selection(node, **kw)
    Selection.objects.filter(pk=selection.pk).update(status=S.PUBLISHED, published_at=timezone.now())
    selection.refresh_from_db()
    return selection


def test_the_list_shows_the_open_and_published_selections_of_the_persons_area(
    client, street, community, other_community
):
    mine = voting_selection(community, title="舜园社区“最美家庭”评选")
    streetwide = _published(street, title="舜玉路街道“最美志愿者”评选")
    elsewhere = voting_selection(other_community, title="舜华社区“好邻居”评选")
    draft = voting_selection(community, status=S.DRAFT, title="还在准备的评选")
    client.force_login(ResidentFactory(grid_node=community))

    page = client.get(reverse("surveys:selections")).content.decode()

    assert mine.title in page and streetwide.title in page
    assert elsewhere.title not in page and draft.title not in page
    # signed out: every open and published selection
    client.logout()
    page = client.get(reverse("surveys:selections")).content.decode()
    assert elsewhere.title in page and draft.title not in page


def test_a_resident_votes_on_the_page_and_sees_for_whom(client, community):
    selection = voting_selection(community)
    zhang = CandidateFactory(selection=selection, community=community, name="张桂兰家庭", story="四世同堂，邻里和睦。")
    resident = ResidentFactory(grid_node=community)
    client.force_login(resident)
    url = reverse("surveys:selection", args=[selection.pk])

    page = client.get(url).content.decode()
    assert "张桂兰家庭" in page and "四世同堂" in page and page.count('type="submit"') >= 4

    response = client.post(reverse("surveys:selection_vote", args=[selection.pk]), {"candidate": zhang.pk})
    assert response.status_code == 302 and response.url == url
    page = client.get(url).content.decode()
    assert "您已投票" in page and "投给了“张桂兰家庭”" in page
    assert "投票给" not in page  # no buttons any more

    # a second vote is refused in Chinese, and nothing changes
    other = selection.candidates.exclude(pk=zhang.pk).first()
    response = client.post(reverse("surveys:selection_vote", args=[selection.pk]), {"candidate": other.pk}, follow=True)
    assert "您已经投过票了，每人只能投一票。" in response.content.decode()
    assert Vote.objects.get(voter=resident).candidate == zhang


def test_the_counts_are_not_public_while_voting(client, community):
    selection = voting_selection(community)
    VoteFactory.create_batch(3, candidate=selection.candidates.first())
    page = client.get(reverse("surveys:selection", args=[selection.pk])).content.decode()
    assert "登录后投票" in page and "3票" not in page
    assert client.get(reverse("surveys:selection_results", args=[selection.pk])).status_code == 404


def test_refusals_on_the_page(client, community, other_community, unit):
    selection = voting_selection(community)
    other = voting_selection(other_community)
    vote_url = reverse("surveys:selection_vote", args=[selection.pk])

    # signed out: to the sign-in page
    response = client.post(vote_url, {"candidate": selection.candidates.first().pk})
    assert response.status_code == 302 and "login" in response.url

    # a resident of another community
    client.force_login(ResidentFactory(grid_node=other_community))
    page = client.get(reverse("surveys:selection", args=[selection.pk])).content.decode()
    assert "您不在本次评选的范围内" in page and "投票给" not in page
    page = client.post(vote_url, {"candidate": selection.candidates.first().pk}, follow=True).content.decode()
    assert "您不在本次评选的范围内" in page

    # a unit's operator, and a candidate of another selection, and rubbish
    client.force_login(UnitOperatorFactory(unit=unit, grid_node=community))
    assert (
        "只有本评选范围内的居民和党员可以投票"
        in client.get(reverse("surveys:selection", args=[selection.pk])).content.decode()
    )
    client.force_login(ResidentFactory(grid_node=community))
    page = client.post(vote_url, {"candidate": other.candidates.first().pk}, follow=True).content.decode()
    assert "请选择本次评选的候选对象" in page
    for bad in ("", "abc", "99999999999999999999", "1\x00"):
        assert client.post(vote_url, {"candidate": bad}).status_code == 302
    assert not Vote.objects.exists()


def test_the_result_page_ranks_marks_the_winners_and_names_no_voter(client, community):
    selection = _published(community, candidates=0, places=1)
    first = CandidateFactory(selection=selection, community=community, name="张桂兰家庭")
    second = CandidateFactory(selection=selection, community=community, name="李建国家庭")
    votes = VoteFactory.create_batch(3, candidate=first) + VoteFactory.create_batch(1, candidate=second)

    page = client.get(reverse("surveys:selection_results", args=[selection.pk])).content.decode()

    assert page.index("张桂兰家庭") < page.index("李建国家庭")
    assert "3票，占75.0%" in page and "1票，占25.0%" in page and page.count("当选") == 1
    for vote in votes:
        assert vote.voter.name not in page and vote.voter.username not in page


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_the_pages_run_a_fixed_number_of_queries(client, community):
    resident = ResidentFactory(grid_node=community)
    client.force_login(resident)
    one = voting_selection(community, candidates=2)
    published = _published(community, candidates=2)
    VoteFactory(candidate=published.candidates.first())
    counts = {
        "list": _queries(client, reverse("surveys:selections")),
        "detail": _queries(client, reverse("surveys:selection", args=[one.pk])),
        "results": _queries(client, reverse("surveys:selection_results", args=[published.pk])),
    }
    # The session and the user; the list: the person's grid node, its count, its page, the person's votes on it;
    # the detail: the selection, its candidates, the person's vote, the person's grid node (may they vote);
    # the result: the selection and its counted candidates.
    assert counts == {"list": 6, "detail": 6, "results": 4}

    for _ in range(8):
        voting_selection(community, candidates=1)
    for _ in range(10):
        CandidateFactory(selection=one, community=community)
        VoteFactory(candidate=CandidateFactory(selection=published, community=community))
    voted = voting_selection(community, candidates=1)  # the list marks it 您已投票
    Vote.objects.create(selection=voted, candidate=voted.candidates.first(), voter=resident)
    assert {
        "list": _queries(client, reverse("surveys:selections")),
        "detail": _queries(client, reverse("surveys:selection", args=[one.pk])),
        "results": _queries(client, reverse("surveys:selection_results", args=[published.pk])),
    } == counts


def test_staff_see_the_page_but_do_not_vote(client, community):
    selection = voting_selection(community, starts_at=timezone.now() - datetime.timedelta(hours=2))
    client.force_login(StreetAdminFactory(grid_node=community.parent))
    page = client.get(reverse("surveys:selection", args=[selection.pk])).content.decode()
    assert "只有本评选范围内的居民和党员可以投票" in page


def test_the_services_page_links_the_selections(client):
    page = client.get(reverse("services:index")).content.decode()
    assert reverse("surveys:selections") in page
