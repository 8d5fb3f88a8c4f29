import pytest

from tests.alliance.factories import CommitteeFactory, SeatFactory
from tests.members.factories import MemberUnitFactory, UserFactory


@pytest.fixture
def committee(street):
    return CommitteeFactory(grid_node=street, name="舜玉路街道大工委")


@pytest.fixture
def community_committee(community, committee):
    return CommitteeFactory(grid_node=community, name="舜园社区大党委", kind="community_party", parent=committee)


@pytest.fixture
def seat_with_account(committee, unit):
    return SeatFactory(committee=committee, unit=unit, user=UserFactory(display_name="王委员"), person_name="王委员")


@pytest.fixture
def secretary(committee):
    return SeatFactory(
        committee=committee, role="secretary", user=UserFactory(display_name="李书记"), person_name="李书记"
    )


@pytest.fixture
def other_unit(community):
    return MemberUnitFactory(grid_node=community, name="省商务厅")


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Factories set passwords; the slow production hasher would dominate this suite's time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
