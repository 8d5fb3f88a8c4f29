import pytest

from alliance.committee.models import Committee
from members.models import User
from tests.alliance.factories import CommitteeFactory
from tests.grids.factories import CommunityFactory, StreetFactory
from tests.members.factories import StreetAdminFactory, UserFactory


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def district_admin(db):
    return UserFactory(username="district", role=User.Role.DISTRICT_ADMIN, display_name="区委组织部")


@pytest.fixture
def west(db):
    return StreetFactory(name="西站街道")


@pytest.fixture
def west_community(west):
    return CommunityFactory(parent=west, name="西湖社区")


@pytest.fixture
def west_admin(west):
    return StreetAdminFactory(grid_node=west, display_name="西站街道管理员")


@pytest.fixture
def committee(street):
    return CommitteeFactory(grid_node=street, name="舜玉路街道大工委")


@pytest.fixture
def west_committee(west):
    return CommitteeFactory(grid_node=west, name="西站街道大工委")


@pytest.fixture
def conference(db):
    conference = CommitteeFactory(grid_node=None, name="七里河区区域党建联席会议", kind=Committee.Kind.DISTRICT_JOINT)
    CommitteeFactory(grid_node=None, name="区教育专业委员会", kind=Committee.Kind.PROFESSIONAL, parent=conference)
    return conference
