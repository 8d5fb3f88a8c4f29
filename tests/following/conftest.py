"""Fixtures of the follow tests: a followed community with one item of each source, and another community's."""

import datetime

import pytest
from django.utils import timezone

from alliance.committee.models import Article
from tests.members.factories import ResidentFactory
from tests.news.factories import ArticleFactory
from tests.projects.factories import NeedFactory, ProjectFactory
from tests.services.factories import ActivityFactory

# Data naming a resident: it must never reach a feed or a digest.
SECRET_NAME = "欧阳秘密"
SECRET_PHONE = "13912345678"


@pytest.fixture
def follower(community):
    return ResidentFactory(grid_node=community, email="follower@example.cn", display_name="关注者")


@pytest.fixture
def items(street, community, other_community, micro_grid):
    """An item of each source in the community (a need posted by a named resident), a street notice, a street
    news item (not for the communities), an unreviewed need, and an item of another community."""
    hour_ago = timezone.now() - datetime.timedelta(hours=1)
    poster = ResidentFactory(grid_node=community, display_name=SECRET_NAME, phone=SECRET_PHONE)
    return {
        "article": ArticleFactory(grid_node=community, title="舜园社区开展垃圾分类宣传", publish_at=hour_ago),
        "notice": ArticleFactory(
            grid_node=street, kind=Article.Kind.NOTICE, title="舜玉路街道停水通知", publish_at=hour_ago
        ),
        "street_news": ArticleFactory(grid_node=street, title="街道党工委会议召开", publish_at=hour_ago),
        "need": NeedFactory(grid_node=micro_grid, title="3号楼加装扶手", created_by=poster),
        "pending_need": NeedFactory(grid_node=community, title="待审核的需求", status="pending"),
        "project": ProjectFactory(grid_node=community, title="社区义诊项目", published_at=hour_ago),
        "activity": ActivityFactory(grid_node=community, title="重阳节敬老活动"),
        "other": ArticleFactory(grid_node=other_community, title="舜华社区新闻", publish_at=hour_ago),
    }
