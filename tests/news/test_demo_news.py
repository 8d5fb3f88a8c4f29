"""The demo news: realistic items of both streets, published, pinned first; seeding twice changes nothing."""

import io

from django.urls import reverse

from alliance.committee.models import Article
from alliance.demo import news as demo
from tests.grids.factories import CommunityFactory, StreetFactory


def test_demo_news_are_seeded_once_and_shown_pinned_first(client, db):
    shunyu = StreetFactory(code="SY", name="舜玉路街道")
    CommunityFactory(parent=shunyu, code="SY-01", name="舜园社区")
    xizhan = StreetFactory(code="XZ", name="西站街道")
    CommunityFactory(parent=xizhan, code="XZ-01", name="建西东路社区")

    demo.seed(stdout=io.StringIO())
    demo.seed(stdout=io.StringIO())

    assert Article.objects.count() == len(demo.NEWS) == 6
    assert set(Article.objects.values_list("status", flat=True)) == {"published"}
    listed = list(client.get(reverse("alliance:news")).context["page"].object_list)
    assert [a.pinned for a in listed] == [True, True, False, False, False, False]
    assert "舜玉路街道构建红色联盟" in client.get(reverse("home")).content.decode()
