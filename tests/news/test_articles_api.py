"""``/api/v1/articles/``: what the portal's news pages show, read-only, filterable; admins see their drafts."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from alliance.committee.models import Article, ArticleAttachment
from tests.grids.factories import CommunityFactory, StreetFactory
from tests.news.factories import ArticleFactory


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def titles(response):
    assert response.status_code == 200, response.content
    return [a["title"] for a in response.json()["results"]]


@pytest.fixture
def articles(street, community, other_community):
    now = timezone.now()
    return {
        "pinned": ArticleFactory(
            grid_node=street,
            title="街道置顶通知",
            kind="notice",
            pinned=True,
            publish_at=now - datetime.timedelta(days=9),
        ),
        "news": ArticleFactory(grid_node=community, title="社区动态", publish_at=now - datetime.timedelta(hours=2)),
        "other": ArticleFactory(
            grid_node=other_community, title="兄弟社区动态", publish_at=now - datetime.timedelta(days=1)
        ),
        "draft": ArticleFactory(grid_node=community, title="社区草稿", status=Article.Status.DRAFT),
        "future": ArticleFactory(grid_node=community, title="明日发布", publish_at=now + datetime.timedelta(days=1)),
        "other_draft": ArticleFactory(grid_node=other_community, title="兄弟社区草稿", status=Article.Status.DRAFT),
    }


def test_everyone_reads_published_items_pinned_first_then_newest(articles, resident, unit_operator, grid_worker):
    for user in (None, resident, unit_operator, grid_worker):
        assert titles(api(user).get("/api/v1/articles/")) == ["街道置顶通知", "社区动态", "兄弟社区动态"]
    body = api().get(f"/api/v1/articles/{articles['news'].pk}/").json()
    assert body["paragraphs"] == ["第一段。", "第二段。"] and body["kind_label"] == "党建动态"
    for hidden in ("draft", "future", "other_draft"):
        assert api(resident).get(f"/api/v1/articles/{articles[hidden].pk}/").status_code == 404


def test_filters_by_kind_street_community_and_pinned(articles, street, community):
    assert titles(api().get("/api/v1/articles/", {"kind": "notice"})) == ["街道置顶通知"]
    assert titles(api().get("/api/v1/articles/", {"kind": "news"})) == ["社区动态", "兄弟社区动态"]
    assert titles(api().get("/api/v1/articles/", {"community": community.pk})) == ["社区动态"]
    assert len(titles(api().get("/api/v1/articles/", {"street": street.pk}))) == 3
    assert titles(api().get("/api/v1/articles/", {"street": StreetFactory().pk})) == []
    assert titles(api().get("/api/v1/articles/", {"pinned": "true"})) == ["街道置顶通知"]


@pytest.mark.parametrize(
    "params",
    [{"kind": "weather"}, {"community": 999999}, {"street": 999999}, {"community": "舜园"}, {"status": "gone"}],
)
def test_bad_filter_values_answer_400(articles, params):
    assert api().get("/api/v1/articles/", params).status_code == 400


def test_a_street_id_is_not_a_community(articles, street):
    assert api().get("/api/v1/articles/", {"community": street.pk}).status_code == 400


def test_admins_see_their_subtrees_drafts_and_scheduled_items_only(articles, community_admin, street_admin):
    got = titles(api(community_admin).get("/api/v1/articles/"))
    assert set(got) == {"街道置顶通知", "社区动态", "兄弟社区动态", "社区草稿", "明日发布"}
    drafts = api(community_admin).get("/api/v1/articles/", {"status": "draft"}).json()["results"]
    assert [(a["title"], a["status_label"]) for a in drafts] == [("社区草稿", "草稿")]
    assert api(community_admin).get(f"/api/v1/articles/{articles['other_draft'].pk}/").status_code == 404
    assert "兄弟社区草稿" in titles(api(street_admin).get("/api/v1/articles/"))


def test_the_api_is_read_only(articles, street_admin):
    for method in ("post", "put", "patch", "delete"):
        url = "/api/v1/articles/" if method == "post" else f"/api/v1/articles/{articles['news'].pk}/"
        assert getattr(api(street_admin), method)(url, {"title": "改"}, format="json").status_code == 405
    articles["news"].refresh_from_db()
    assert articles["news"].title == "社区动态"


@pytest.mark.parametrize("rows", [2, 12])
def test_list_and_detail_run_a_fixed_number_of_queries(django_assert_num_queries, street, rows):
    for i in range(rows):
        article = ArticleFactory(grid_node=CommunityFactory(parent=street), pinned=i == 0)
        ArticleAttachment.objects.create(article=article, name=f"附件{i}", file="news/a.pdf", size=10)
    # count, page (with its grid node)
    with django_assert_num_queries(2):
        assert api().get("/api/v1/articles/").json()["count"] == rows
    # the article (with its grid node), its attachments
    with django_assert_num_queries(2):
        assert len(api().get(f"/api/v1/articles/{article.pk}/").json()["attachments"]) == 1


def test_the_schema_documents_the_collection(client, db):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/articles/" in schema and "/api/v1/articles/{id}/" in schema
