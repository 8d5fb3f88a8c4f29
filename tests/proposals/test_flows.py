"""Residents' proposals by role: proposing, the community's moderation (publish, decline, merge, hide a
comment), supports and comments, and the raise to a committee matter at the community's threshold."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from alliance.committee import actions as committee_actions
from alliance.committee.models import Matter
from alliance.core.errors import Conflict
from alliance.proposals import actions
from alliance.proposals.models import Proposal, ProposalEvent, ProposalRule, Support
from tests.members.factories import ResidentFactory, UserFactory
from tests.proposals.factories import CommentFactory, ProposalFactory, ProposalRuleFactory

S = Proposal.Status
pytestmark = pytest.mark.django_db


def neighbours(community, n):
    return [ResidentFactory(grid_node=community) for _ in range(n)]


def test_a_resident_proposes_and_it_waits_for_review_in_their_own_community(resident, community):
    p = actions.submit_proposal(by=resident, title="  楼道灯不亮 ", text="3号楼楼道灯坏了半个月。", location="3号楼")

    assert (p.status, p.community, p.title, p.author) == (S.SUBMITTED, community, "楼道灯不亮", resident)
    assert list(p.events.values_list("kind", flat=True)) == [ProposalEvent.Kind.SUBMITTED]


def test_a_party_member_proposes_for_a_micro_grid_and_the_community_follows(community, micro_grid):
    member = UserFactory(role="party_member", grid_node=community)

    p = actions.submit_proposal(by=member, title="加装电梯", text="六层老楼，老人上下楼难。", micro_grid=micro_grid)

    assert (p.community, p.micro_grid) == (community, micro_grid)


def test_proposing_is_refused_signed_out_empty_or_with_a_micro_grid_of_another_community(
    resident, other_community, micro_grid
):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        actions.submit_proposal(by=AnonymousUser(), title="座椅", text="增设座椅")
    with pytest.raises(ValidationError) as refused:
        actions.submit_proposal(by=resident, title="\u200b", text=" ", community=other_community, micro_grid=micro_grid)
    assert set(refused.value.message_dict) == {"title", "text", "micro_grid"}
    assert not Proposal.objects.exists()


def test_the_community_admin_publishes_and_a_street_admin_may_too_but_not_another_community(
    community_admin, other_community_admin, street_admin, resident, grid_worker
):
    p = ProposalFactory(author=resident, community=resident.grid_node)
    for refused in (resident, grid_worker, other_community_admin):
        with pytest.raises(PermissionDenied):
            actions.publish_proposal(by=refused, proposal=p)

    p = actions.publish_proposal(by=community_admin, proposal=p)

    assert (p.status, p.published_by, p.published_at is not None) == (S.PUBLISHED, community_admin, True)
    assert p.supports_close_at is not None
    with pytest.raises(Conflict):
        actions.publish_proposal(by=street_admin, proposal=p)


def test_a_declined_proposal_keeps_its_reason_and_history(community_admin, resident):
    p = ProposalFactory(author=resident, community=resident.grid_node)
    with pytest.raises(ValidationError):
        actions.decline_proposal(by=community_admin, proposal=p, reason="  ")

    p = actions.decline_proposal(by=community_admin, proposal=p, reason="已纳入今年的改造计划。")

    assert (p.status, p.decline_reason, p.declined_by) == (S.DECLINED, "已纳入今年的改造计划。", community_admin)
    event = p.events.get(kind=ProposalEvent.Kind.DECLINED)
    assert (event.by, event.note) == (community_admin, "已纳入今年的改造计划。")


def test_supports_one_per_person_not_the_authors_not_before_publishing(community, resident):
    p = ProposalFactory(author=resident, community=community)
    neighbour = ResidentFactory(grid_node=community)
    with pytest.raises(ValidationError):
        actions.support_proposal(by=neighbour, proposal=p)  # still waiting for review

    p.status = S.PUBLISHED
    p.save()
    p = actions.support_proposal(by=neighbour, proposal=p)
    with pytest.raises(Conflict):
        actions.support_proposal(by=neighbour, proposal=p)
    with pytest.raises(ValidationError):
        actions.support_proposal(by=resident, proposal=p)

    p.refresh_from_db()
    assert p.support_count == 1 == Support.objects.filter(proposal=p).count()


def test_a_support_can_be_taken_back_while_support_is_gathered(community):
    p = ProposalFactory(community=community, status=S.PUBLISHED)
    neighbour = ResidentFactory(grid_node=community)
    actions.support_proposal(by=neighbour, proposal=p)

    p = actions.withdraw_support(by=neighbour, proposal=p)

    assert p.support_count == 0
    with pytest.raises(ValidationError):
        actions.withdraw_support(by=neighbour, proposal=p)


def test_reaching_the_threshold_raises_one_matter_to_the_council_and_the_page_follows_it(
    community, council, community_admin
):
    ProposalRuleFactory(community=community, threshold=3)
    p = ProposalFactory(community=community, status=S.PUBLISHED)
    people = neighbours(community, 4)
    for person in people[:2]:
        p = actions.support_proposal(by=person, proposal=p)
    assert p.status == S.PUBLISHED and not Matter.objects.exists()

    p = actions.support_proposal(by=people[2], proposal=p)
    p = actions.support_proposal(by=people[3], proposal=p)  # a raised proposal still gathers support

    matter = Matter.objects.get()
    assert (p.status, p.matter, p.support_count) == (S.RAISED, matter, 4)
    assert (matter.committee, matter.source, matter.raised_by) == (council, p, None)
    assert p.events.filter(kind=ProposalEvent.Kind.RAISED).count() == 1
    # The matter's result shows on the proposal.
    committee_actions.study_matter(by=community_admin, matter=matter)
    committee_actions.resolve_matter(by=community_admin, matter=matter, resolution="年内更换声控灯。")
    from alliance.proposals import selectors

    p = Proposal.objects.select_related("matter").get(pk=p.pk)
    assert selectors.stage(p)[0] == "已议决，落实中"
    assert matter.source_url() == f"/proposals/{p.pk}/"


def test_a_rule_naming_the_joint_committee_raises_there(community, council, joint):
    ProposalRule.objects.create(community=community, threshold=1, target=ProposalRule.Target.JOINT)
    p = ProposalFactory(community=community, status=S.PUBLISHED)

    p = actions.support_proposal(by=ResidentFactory(grid_node=community), proposal=p)

    assert p.matter.committee == joint


def test_merging_moves_supports_without_counting_anyone_twice(community, community_admin, other_community_admin):
    ProposalRuleFactory(community=community, threshold=50)
    target = ProposalFactory(community=community, status=S.PUBLISHED)
    duplicate = ProposalFactory(community=community, status=S.PUBLISHED)
    both, only_dup, only_target = neighbours(community, 3)
    for person in (both, only_target):
        actions.support_proposal(by=person, proposal=target)
    for person in (both, only_dup, target.author):
        actions.support_proposal(by=person, proposal=duplicate)
    with pytest.raises(PermissionDenied):
        actions.merge_proposal(by=other_community_admin, proposal=duplicate, into=target)
    with pytest.raises(ValidationError):
        actions.merge_proposal(by=community_admin, proposal=duplicate, into=duplicate)

    actions.merge_proposal(by=community_admin, proposal=duplicate, into=target, reason="重复")

    duplicate.refresh_from_db()
    target.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into, duplicate.support_count) == (S.MERGED, target, 0)
    assert target.support_count == 3
    assert set(Support.objects.filter(proposal=target).values_list("person", flat=True)) == {
        both.pk,
        only_dup.pk,
        only_target.pk,
    }


def test_comments_on_open_proposals_only_and_the_community_hides_one_with_a_reason(
    community, community_admin, other_community_admin
):
    neighbour = ResidentFactory(grid_node=community)
    declined = ProposalFactory(community=community, status=S.DECLINED)
    with pytest.raises(ValidationError):
        actions.add_comment(by=neighbour, proposal=declined, text="为什么不采纳？")
    p = ProposalFactory(community=community, status=S.PUBLISHED)
    with pytest.raises(ValidationError):
        actions.add_comment(by=neighbour, proposal=p, text="长" * 501)
    comment = actions.add_comment(by=neighbour, proposal=p, text="低价出售二手家具")

    with pytest.raises(PermissionDenied):
        actions.hide_comment(by=other_community_admin, comment=comment, reason="广告")
    comment = actions.hide_comment(by=community_admin, comment=comment, reason="广告信息")

    assert (comment.hidden, comment.hide_reason, comment.hidden_by) == (True, "广告信息", community_admin)
    assert p.events.filter(kind=ProposalEvent.Kind.COMMENT_HIDDEN, note="广告信息", by=community_admin).exists()
    with pytest.raises(Conflict):
        actions.hide_comment(by=community_admin, comment=CommentFactory.build(pk=comment.pk, proposal=p), reason="x")


def test_a_rule_is_kept_only_by_admins_of_its_community_or_street(community, community_admin, other_community_admin):
    with pytest.raises(PermissionDenied):
        actions.save_rule(by=other_community_admin, rule=ProposalRule(community=community, threshold=5))

    rule = actions.save_rule(by=community_admin, rule=ProposalRule(community=community, threshold=5))

    assert actions.rule_for(community) == rule
