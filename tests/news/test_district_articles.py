"""District-wide articles (全区, no grid node): only the district writes them, every street shows them, and a
district notice reaches every resident of every street once."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from alliance.committee import news
from alliance.committee.models import Article
from alliance.core import fanout
from alliance.core.models import Broadcast, BroadcastBatch, Notification
from grids.models import District
from members.models import User
from tests.grids.factories import CommunityFactory, StreetFactory
from tests.members.factories import ResidentFactory, UserFactory
from tests.news.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def district_admin(db):
    return UserFactory(username="district", role=User.Role.DISTRICT_ADMIN, display_name="区委组织部")


def _post(client, user, grid_node):
    client.force_login(user)
    data = {
        "kind": "notice",
        "title": "全区停电检修通知",
        "summary": "周六全区停电检修",
        "body": "正文",
        "grid_node": grid_node,
        "source": "",
        "publish_at_0": "2026-11-20",
        "publish_at_1": "09:00:00",
        "status": "draft",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
    }
    return client.post(reverse("admin:alliance_article_add"), data)


def test_a_district_admin_publishes_a_district_notice_that_reaches_every_resident_of_every_street_once(
    client, district_admin
):
    streets = [StreetFactory(), StreetFactory()]
    people = [ResidentFactory(grid_node=CommunityFactory(parent=s)) for s in streets for _ in range(3)]
    people += [ResidentFactory(grid_node=s) for s in streets]
    r = _post(client, district_admin, "")
    assert r.status_code == 302, r.content.decode()[:2000]
    notice = Article.objects.get()
    assert notice.grid_node is None
    news.publish(by=district_admin, article=notice)
    job = Broadcast.objects.get()
    fanout.start(job.pk)
    for batch in BroadcastBatch.objects.filter(broadcast=job).order_by("number"):
        fanout.run_batch(batch.pk)
    rows = Notification.objects.filter(key=f"article:{notice.pk}:notice")
    assert sorted(rows.values_list("recipient_id", flat=True)) == sorted(p.pk for p in people)
    assert set(rows.values_list("title", flat=True)) == {"通知公告：全区停电检修通知"}
    # Withdrawn and published again: nobody told twice.
    news.withdraw(by=district_admin, article=notice)
    news.publish(by=district_admin, article=notice)
    fanout.sweep()
    assert rows.count() == len(people)


def test_a_street_admin_must_pick_a_street_or_community_and_cannot_publish_a_district_article(
    client, street, street_admin
):
    r = _post(client, street_admin, "")
    assert r.status_code == 200
    assert "只有区级管理员可以发布全区的文章" in str(r.context["adminform"].form.errors["grid_node"])
    assert not Article.objects.exists()
    district_article = ArticleFactory(grid_node=None, kind=Article.Kind.NOTICE, status=Article.Status.DRAFT)
    with pytest.raises(PermissionDenied):
        news.publish(by=street_admin, article=district_article)
    assert not Broadcast.objects.exists()
    r = _post(client, street_admin, street.pk)  # its own street is still fine
    assert r.status_code == 302


def test_every_street_lists_the_district_articles_labelled_with_the_district(client, street, community):
    District.objects.update_or_create(pk=1, defaults={"name": "七里河区"})
    other = StreetFactory()
    ArticleFactory(grid_node=None, title="全区通知", kind=Article.Kind.NOTICE)
    ArticleFactory(grid_node=community, title="本社区动态")
    ArticleFactory(grid_node=CommunityFactory(parent=other), title="别的街道动态")
    r = client.get("/api/v1/articles/", {"street": street.pk})
    got = {row["title"]: row["grid_node_name"] for row in r.json()["results"]}
    assert got == {"全区通知": "全区", "本社区动态": community.name}
    r = client.get("/api/v1/articles/", {"community": community.pk})
    assert {row["title"] for row in r.json()["results"]} == {"全区通知", "本社区动态"}
    page = client.get(reverse("alliance:news")).content.decode()
    assert "全区通知" in page and "全区 ·" in page
    article = Article.objects.get(title="全区通知")
    detail = client.get(reverse("alliance:news_detail", args=[article.pk])).content.decode()
    assert "七里河区" in detail


def test_the_followers_feed_of_every_community_carries_the_district_notices(client, community, other_community):
    hour_ago = timezone.now() - datetime.timedelta(hours=1)
    ArticleFactory(grid_node=None, kind=Article.Kind.NOTICE, title="全区防汛通知", publish_at=hour_ago)
    for node in (community, other_community):
        text = client.get(f"/follow/feeds/{node.pk}/news.atom").content.decode()
        assert "全区防汛通知" in text
