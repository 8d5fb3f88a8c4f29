"""The admin: staff moderate through the buttons (which call the actions), see the moderation history, never edit
a state or a resident's words; another community's proposals are out of sight; the rule is kept per community."""

import pytest

from alliance.proposals.models import Proposal, ProposalRule
from tests.proposals.factories import CommentFactory, ProposalFactory

S = Proposal.Status
pytestmark = pytest.mark.django_db


def test_declining_through_the_admin_button_keeps_the_reason_and_shows_the_history(client, community, community_admin):
    p = ProposalFactory(community=community)
    client.force_login(community_admin)
    url = f"/admin/proposals/proposal/{p.pk}/transition/decline/"

    client.post(url, {"confirm": "yes", "reason": "已纳入今年老旧小区改造。"})

    p.refresh_from_db()
    assert (p.status, p.decline_reason, p.declined_by) == (S.DECLINED, "已纳入今年老旧小区改造。", community_admin)
    page = client.get(f"/admin/proposals/proposal/{p.pk}/change/").content.decode()
    assert "不予采纳" in page and "已纳入今年老旧小区改造。" in page


def test_the_admin_form_cannot_change_the_state_or_the_text(client, community, community_admin):
    p = ProposalFactory(community=community, title="原来的标题")
    client.force_login(community_admin)

    client.post(f"/admin/proposals/proposal/{p.pk}/change/", {"title": "改过的标题", "status": "published"})

    p.refresh_from_db()
    assert (p.title, p.status) == ("原来的标题", S.SUBMITTED)


def test_merging_through_the_admin_names_the_target_by_number(client, community, community_admin):
    target = ProposalFactory(community=community, status=S.PUBLISHED)
    duplicate = ProposalFactory(community=community)
    client.force_login(community_admin)

    client.post(f"/admin/proposals/proposal/{duplicate.pk}/transition/merge/", {"confirm": "yes", "into": target.pk})

    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into) == (S.MERGED, target)


def test_another_communitys_proposals_and_comments_are_out_of_sight(client, community, other_community_admin):
    p = ProposalFactory(community=community)
    comment = CommentFactory(proposal=ProposalFactory(community=community, status=S.PUBLISHED))
    client.force_login(other_community_admin)

    assert client.get(f"/admin/proposals/proposal/{p.pk}/change/").status_code in (302, 404)
    client.post(f"/admin/proposals/comment/{comment.pk}/transition/hide/", {"confirm": "yes", "reason": "广告"})
    comment.refresh_from_db()
    assert not comment.hidden


def test_hiding_a_comment_through_the_admin(client, community, community_admin):
    comment = CommentFactory(proposal=ProposalFactory(community=community, status=S.PUBLISHED))
    client.force_login(community_admin)

    client.post(f"/admin/proposals/comment/{comment.pk}/transition/hide/", {"confirm": "yes", "reason": "广告信息"})

    comment.refresh_from_db()
    assert (comment.hidden, comment.hide_reason) == (True, "广告信息")


def test_a_community_admin_keeps_their_communitys_rule_only(client, community, other_community, community_admin):
    client.force_login(community_admin)
    add = "/admin/proposals/proposalrule/add/"

    client.post(add, {"community": other_community.pk, "threshold": 5, "target": "council", "support_days": 30})
    client.post(add, {"community": community.pk, "threshold": 5, "target": "joint", "support_days": 30})

    assert list(ProposalRule.objects.values_list("community", "threshold", "target")) == [(community.pk, 5, "joint")]
