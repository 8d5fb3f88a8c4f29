"""Crowdfunding pledges and the public account; residents' micro-wishes (微心愿)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from alliance.core.errors import Conflict
from projects import actions
from projects.models import Wish
from tests.members.factories import PartyMemberFactory, UserFactory
from tests.projects.factories import ProjectFactory, WishFactory


def test_expenditures_never_exceed_what_was_pledged(unit_operator, community_admin, community):
    project = ProjectFactory(grid_node=community, crowdfunding_target=Decimal("5000"))
    actions.add_pledge(by=unit_operator, project=project, amount="3000")
    actions.add_pledge(by=community_admin, project=project, amount="500", donor_name="张阿姨")

    actions.add_expenditure(
        by=community_admin, project=project, item="采购轮椅", amount="3200", spent_on=datetime.date.today()
    )
    with pytest.raises(ValidationError, match="不能超过已筹集的 3500"):
        actions.add_expenditure(
            by=community_admin, project=project, item="采购拐杖", amount="301", spent_on=datetime.date.today()
        )
    assert actions.spent_total(project) == Decimal("3200")


def test_pledges_only_to_crowdfunding_projects(unit_operator, community):
    with pytest.raises(ValidationError, match="不是公益众筹"):
        actions.add_pledge(by=unit_operator, project=ProjectFactory(grid_node=community), amount=100)


def test_wish_from_resident_to_thanks(resident, community_admin, community):
    wish = actions.submit_wish(by=resident, title="想要一台收音机", grid_node=community)
    assert wish.status == Wish.Status.SUBMITTED
    actions.review_wish(by=community_admin, wish=wish, publish=True)

    member_user = UserFactory(role="party_member")
    PartyMemberFactory(user=member_user, community=community)
    wish = actions.claim_wish(by=member_user, wish=wish)
    assert wish.status == Wish.Status.CLAIMED
    assert wish.claimant_member.user == member_user

    actions.fulfil_wish(by=member_user, wish=wish)
    assert resident.notifications.filter(key=f"wish:{wish.pk}:fulfilled").exists()
    wish = actions.thank_wish(by=resident, wish=wish, thanks="谢谢党员同志!")
    assert wish.status == Wish.Status.THANKED


def test_a_wish_has_one_claimant(unit_operator, community):
    wish = WishFactory(grid_node=community)
    actions.claim_wish(by=unit_operator, wish=wish)
    member_user = UserFactory(role="party_member")
    PartyMemberFactory(user=member_user, community=community)
    with pytest.raises(Conflict, match="已被认领"):
        actions.claim_wish(by=member_user, wish=wish)


def test_unpublished_wish_cannot_be_claimed_and_residents_cannot_claim(unit_operator, resident, community):
    wish = WishFactory(grid_node=community, status=Wish.Status.SUBMITTED)
    with pytest.raises(ValidationError):
        actions.claim_wish(by=unit_operator, wish=wish)
    with pytest.raises(PermissionDenied):
        actions.claim_wish(by=resident, wish=WishFactory(grid_node=community))
