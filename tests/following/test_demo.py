"""The demo's follows: the resident follows their community weekly by e-mail with every topic, the party member a
micro-grid daily; a second run changes nothing."""

import io

import pytest

from alliance.core.feeds import Topic
from alliance.demo import following, grids, members
from alliance.following.models import Follow

pytestmark = pytest.mark.django_db


def test_the_demo_follows_are_made_once():
    out = io.StringIO()
    grids.seed(stdout=out)
    members.seed(stdout=out)
    following.seed(stdout=out)
    before = list(Follow.objects.order_by("pk").values())
    following.seed(stdout=out)

    assert list(Follow.objects.order_by("pk").values()) == before
    resident = Follow.objects.get(user__username="resident")
    assert (resident.node.level, resident.frequency, resident.channel, resident.topics) == (
        2,
        "weekly",
        "email",
        list(Topic.values),
    )
    member = Follow.objects.get(user__username="party_member")
    assert (member.node.level, member.frequency) == (3, "daily")
    assert Follow.history.count() == 2
