import pytest

from tests.grids.factories import TeamFactory
from tests.volunteering.factories import PartyMemberUserFactory


@pytest.fixture
def member_user(community):
    return PartyMemberUserFactory(grid_node=community, display_name="孙立华")


@pytest.fixture
def team(community):
    return TeamFactory(node=community, name="党员志愿服务队")


@pytest.fixture
def report_data(community, micro_grid):
    """What a member types: community, micro-grid, times and a volunteer role."""
    return {
        "community": community,
        "micro_grid": micro_grid,
        "in_service": False,
        "serve_times": ["weekends", "weekday_evenings"],
        "serve_note": "每月第二个周六上午",
        "volunteer_role": "楼栋志愿者",
    }
