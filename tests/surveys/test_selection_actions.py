"""The selections' actions by role: who sets one up and moves it along, who votes when, and how it is counted."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from alliance.core import feeds
from alliance.core.errors import Conflict
from alliance.surveys import actions, selection_selectors
from alliance.surveys.models import Candidate, Selection, Vote
from tests.grids.factories import CommunityFactory, StreetFactory
from tests.members.factories import (
    CommunityAdminFactory,
    GridWorkerFactory,
    ResidentFactory,
    StreetAdminFactory,
    UnitOperatorFactory,
    UserFactory,
)
from tests.surveys.selection_factories import CandidateFactory, SelectionFactory, VoteFactory, voting_selection

pytestmark = pytest.mark.django_db
NOW = timezone.now()
S = Selection.Status


def _draft(by, node, **kw):
    return actions.create_selection(
        by=by,
        title="2026年度“最美家庭”评选",
        grid_node=node,
        starts_at=kw.pop("starts_at", NOW),
        ends_at=kw.pop("ends_at", NOW + datetime.timedelta(days=10)),
        description="以家庭为单位，每人限投一票。",
        **kw,
    )


# --- setting up and moving along ---------------------------------------------------------------------------


def test_a_community_admin_sets_up_a_selection_and_takes_it_to_published(community_admin, community, resident):
    selection = _draft(community_admin, community)
    assert selection.status == S.DRAFT and selection.created_by == community_admin
    zhang = actions.add_candidate(by=community_admin, selection=selection, name="张桂兰家庭", community=community)
    actions.add_candidate(by=community_admin, selection=selection, name="李建国家庭", community=community, position=2)

    actions.open_voting(by=community_admin, selection=selection)
    assert (selection.status, selection.opened_by) == (S.VOTING, community_admin)
    actions.cast_vote(by=resident, selection=selection, candidate=zhang)
    actions.close_voting(by=community_admin, selection=selection)
    actions.publish_selection_results(by=community_admin, selection=selection)

    selection.refresh_from_db()
    assert selection.status == S.PUBLISHED and selection.published_by == community_admin
    assert selection.history.count() == 4  # created, opened, closed, published: each with who
    assert {h.history_user for h in selection.history.all()} == {community_admin}


def test_staff_outside_the_scope_cannot_set_up_or_move_a_selection(community, other_community, community_admin):
    other_admin = CommunityAdminFactory(grid_node=other_community)
    other_street_admin = StreetAdminFactory(grid_node=StreetFactory(name="外街道"))
    with pytest.raises(PermissionDenied):
        _draft(other_admin, community)
    with pytest.raises(PermissionDenied):
        _draft(other_street_admin, community)
    with pytest.raises(PermissionDenied):  # a grid worker is staff but not an admin
        _draft(GridWorkerFactory(grid_node=community), community)
    # a community admin cannot hold a street-wide selection
    with pytest.raises(PermissionDenied):
        _draft(community_admin, community.parent)

    selection = voting_selection(community, status=S.DRAFT)
    for outsider in (other_admin, other_street_admin, ResidentFactory(grid_node=community)):
        with pytest.raises(PermissionDenied):
            actions.open_voting(by=outsider, selection=selection)
    selection.refresh_from_db()
    assert selection.status == S.DRAFT


def test_a_street_admin_holds_a_street_wide_selection(street_admin, street, community):
    selection = _draft(street_admin, street)
    candidate = actions.add_candidate(by=street_admin, selection=selection, name="王秀英家庭", community=community)
    assert candidate.community == community
    with pytest.raises(ValidationError):  # the scope is a street or a community, not a micro-grid
        _draft(street_admin, CommunityFactory(parent=street).children.create(name="1号楼", level=3))


def test_the_window_and_the_candidates_are_checked(community_admin, community, other_community):
    with pytest.raises(ValidationError) as exc:
        _draft(community_admin, community, ends_at=NOW - datetime.timedelta(days=1))
    assert "ends_at" in exc.value.message_dict
    selection = _draft(community_admin, community)
    with pytest.raises(ValidationError):  # a candidate of another community than the scope
        actions.add_candidate(by=community_admin, selection=selection, name="外社区家庭", community=other_community)
    with pytest.raises(ValidationError, match="至少需要两个候选对象"):
        actions.open_voting(by=community_admin, selection=selection)
    actions.add_candidate(by=community_admin, selection=selection, name="张桂兰家庭", community=community)
    with pytest.raises(ValidationError, match="同名"):
        actions.add_candidate(by=community_admin, selection=selection, name="张桂兰家庭", community=community)


def test_candidates_are_fixed_once_voting_starts(community_admin, community):
    selection = voting_selection(community)
    candidate = selection.candidates.first()
    with pytest.raises(ValidationError, match="不能再修改"):
        actions.add_candidate(by=community_admin, selection=selection, name="新家庭", community=community)
    with pytest.raises(ValidationError, match="不能再修改"):
        actions.update_candidate(by=community_admin, candidate=candidate, name="改名")
    with pytest.raises(ValidationError, match="不能再修改"):
        actions.remove_candidate(by=community_admin, candidate=candidate)
    with pytest.raises(ValidationError):  # only the rules and a later end may change while voting
        actions.update_selection(by=community_admin, selection=selection, title="新名称")
    later = selection.ends_at + datetime.timedelta(days=1)
    actions.update_selection(by=community_admin, selection=selection, ends_at=later)
    selection.refresh_from_db()
    assert selection.ends_at == later and selection.candidates.count() == 3


def test_states_move_only_forward(community_admin, community):
    selection = voting_selection(community)
    with pytest.raises(ValidationError):
        actions.publish_selection_results(by=community_admin, selection=selection)
    with pytest.raises(Conflict):
        actions.open_voting(by=community_admin, selection=selection)
    actions.close_voting(by=community_admin, selection=selection)
    with pytest.raises(Conflict):
        actions.close_voting(by=community_admin, selection=selection)


def test_the_job_ends_voting_past_the_window_once(community):
    past = voting_selection(
        community, starts_at=NOW - datetime.timedelta(days=3), ends_at=NOW - datetime.timedelta(minutes=1)
    )
    running = voting_selection(community)

    assert actions.close_expired_selections() == 1
    assert actions.close_expired_selections() == 0
    past.refresh_from_db()
    running.refresh_from_db()
    assert past.status == S.CLOSED and past.closed_by is None and past.closed_at is not None
    assert running.status == S.VOTING


# --- voting --------------------------------------------------------------------------------------------------


def test_residents_and_party_members_of_the_area_vote_once(community):
    selection = voting_selection(community)
    first, second = selection.candidates.all()[:2]
    resident = ResidentFactory(grid_node=community)
    member = UserFactory(role="party_member", grid_node=community)

    vote = actions.cast_vote(by=resident, selection=selection, candidate=first)
    actions.cast_vote(by=member, selection=selection, candidate=second)
    with pytest.raises(Conflict, match="您已经投过票了"):
        actions.cast_vote(by=resident, selection=selection, candidate=second)

    assert vote.voter == resident and Vote.objects.filter(selection=selection).count() == 2


def test_a_street_wide_selection_takes_votes_from_every_community_below(street, community, other_community):
    selection = voting_selection(street)
    candidate = selection.candidates.first()
    actions.cast_vote(by=ResidentFactory(grid_node=other_community), selection=selection, candidate=candidate)
    assert selection.votes.count() == 1


@pytest.mark.parametrize("role", ["unit_operator", "grid_worker", "community_admin", "street_admin", "outside"])
def test_who_may_not_vote(role, community, other_community, unit):
    selection = voting_selection(community)
    voter = {
        "unit_operator": lambda: UnitOperatorFactory(unit=unit, grid_node=community),
        "grid_worker": lambda: GridWorkerFactory(grid_node=community),
        "community_admin": lambda: CommunityAdminFactory(grid_node=community),
        "street_admin": lambda: StreetAdminFactory(grid_node=community.parent),
        "outside": lambda: ResidentFactory(grid_node=other_community),
    }[role]()
    with pytest.raises(PermissionDenied):
        actions.cast_vote(by=voter, selection=selection, candidate=selection.candidates.first())
    assert not selection.votes.exists()


def test_no_vote_signed_out_before_or_after_the_window_or_for_another_selections_candidate(community):
    from django.contrib.auth.models import AnonymousUser

    resident = ResidentFactory(grid_node=community)
    early = voting_selection(
        community, starts_at=NOW + datetime.timedelta(days=1), ends_at=NOW + datetime.timedelta(days=5)
    )
    late = voting_selection(
        community, starts_at=NOW - datetime.timedelta(days=5), ends_at=NOW - datetime.timedelta(days=1)
    )
    draft = voting_selection(community, status=S.DRAFT)
    selection = voting_selection(community)

    with pytest.raises(PermissionDenied, match="请先登录"):
        actions.cast_vote(by=AnonymousUser(), selection=selection, candidate=selection.candidates.first())
    with pytest.raises(ValidationError, match="还没有开始"):
        actions.cast_vote(by=resident, selection=early, candidate=early.candidates.first())
    with pytest.raises(ValidationError, match="已经截止"):
        actions.cast_vote(by=resident, selection=late, candidate=late.candidates.first())
    with pytest.raises(ValidationError, match="不在投票期"):
        actions.cast_vote(by=resident, selection=draft, candidate=draft.candidates.first())
    with pytest.raises(ValidationError) as exc:
        actions.cast_vote(by=resident, selection=selection, candidate=early.candidates.first())
    assert "candidate" in exc.value.message_dict
    assert not Vote.objects.exists()


# --- the count ---------------------------------------------------------------------------------------------


def test_the_ranking_counts_votes_shares_ties_and_winners(community):
    selection = SelectionFactory(grid_node=community, places=2)
    a, b, c, d = (CandidateFactory(selection=selection, community=community, position=i) for i in range(4))
    for candidate, n in ((a, 3), (b, 1), (c, 1)):
        VoteFactory.create_batch(n, candidate=candidate)

    standings = selection_selectors.standings(selection)

    assert [(s.candidate, s.votes, s.share, s.rank, s.winner) for s in standings] == [
        (a, 3, 60.0, 1, True),
        (b, 1, 20.0, 2, True),  # a tie at the last place: both win
        (c, 1, 20.0, 2, True),
        (d, 0, 0.0, 4, False),  # no votes, no place
    ]


def test_the_feed_lists_published_results_of_the_area_without_names_of_voters(community, other_community):
    selection = voting_selection(community)
    VoteFactory(candidate=selection.candidates.first())
    Selection.objects.filter(pk=selection.pk).update(status=S.PUBLISHED, published_at=NOW)
    voting_selection(other_community)  # not published: not in any feed

    since, until = NOW - datetime.timedelta(days=1), NOW + datetime.timedelta(days=1)
    items = feeds.collect([community], [feeds.Topic.RESULTS], since, until)
    assert [i.key for i in items] == [f"selection:{selection.pk}:published"]
    assert items[0].url == f"/surveys/selections/{selection.pk}/results/"
    assert "1人参与投票" in items[0].summary and items[0].area == community.name
    voter = Vote.objects.get().voter
    assert voter.name not in items[0].title + items[0].summary
    assert feeds.collect([other_community], [feeds.Topic.RESULTS], since, until) == []
    assert Candidate.objects.count() == 6
