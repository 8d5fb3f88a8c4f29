import pytest

from alliance.committee.models import Committee
from tests.alliance.factories import CommitteeFactory


@pytest.fixture
def council(community):
    return CommitteeFactory(grid_node=community, kind=Committee.Kind.COMMUNITY_PARTY, name=f"{community.name}大党委")


@pytest.fixture
def joint(street):
    return CommitteeFactory(grid_node=street, kind=Committee.Kind.STREET_JOINT, name=f"{street.name}大工委")
