"""News and notices: what the public sees, in what order, safely, in a fixed number of queries."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from alliance.committee import news
from alliance.committee.models import Article
from tests.news.factories import ArticleFactory


def test_the_public_sees_only_published_items_whose_time_has_come(client, community):
    shown = ArticleFactory(grid_node=community, title="已发布的动态")
    draft = ArticleFactory(grid_node=community, title="草稿", status=Article.Status.DRAFT)
    future = ArticleFactory(
        grid_node=community, title="明天发布", publish_at=timezone.now() + datetime.timedelta(days=1)
    )
    page = client.get(reverse("alliance:news")).content.decode()
    assert "已发布的动态" in page and "草稿" not in page and "明天发布" not in page
    assert client.get(reverse("alliance:news_detail", args=[shown.pk])).status_code == 200
    assert client.get(reverse("alliance:news_detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("alliance:news_detail", args=[future.pk])).status_code == 404


def test_pinned_items_come_first_then_the_newest(client, street, community):
    now = timezone.now()
    old_pinned = ArticleFactory(grid_node=street, pinned=True, publish_at=now - datetime.timedelta(days=30))
    newest = ArticleFactory(grid_node=community, publish_at=now - datetime.timedelta(minutes=5))
    older = ArticleFactory(grid_node=community, publish_at=now - datetime.timedelta(days=2))
    listed = list(client.get(reverse("alliance:news")).context["page"].object_list)
    assert listed == [old_pinned, newest, older]


def test_the_list_shows_the_scope_and_filters_by_column(client, street, community):
    ArticleFactory(grid_node=street, kind=Article.Kind.NOTICE, title="关于开展志愿服务的通知")
    ArticleFactory(grid_node=community, title="舜园社区主题党日")
    page = client.get(reverse("alliance:news"), {"kind": "notice"}).content.decode()
    assert "关于开展志愿服务的通知" in page and "舜园社区主题党日" not in page
    assert street.name in page


def test_staff_text_is_shown_as_text_never_as_html(client, community):
    article = ArticleFactory(grid_node=community, body='<script>alert("x")</script>\n\n第二段<b>粗</b>')
    page = client.get(reverse("alliance:news_detail", args=[article.pk])).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert page.count("<p>第二段&lt;b&gt;粗&lt;/b&gt;</p>") == 1


@pytest.mark.parametrize("rows", [2, 25])
def test_the_list_runs_two_queries_whatever_its_length(client, community, django_assert_num_queries, rows):
    ArticleFactory.create_batch(rows, grid_node=community)
    # 1 count, 2 the page of articles with their grid node
    with django_assert_num_queries(2):
        assert client.get(reverse("alliance:news")).status_code == 200


def test_the_home_page_shows_pinned_news_first(client, street, community):
    ArticleFactory(grid_node=community, title="普通动态", publish_at=timezone.now() - datetime.timedelta(minutes=1))
    ArticleFactory(
        grid_node=street, title="置顶公告", pinned=True, publish_at=timezone.now() - datetime.timedelta(days=9)
    )
    page = client.get(reverse("home")).content.decode()
    assert "党建动态 · 通知公告" in page
    assert page.index("置顶公告") < page.index("普通动态")


def test_an_admin_of_another_community_cannot_publish(community, other_community_admin, community_admin):
    article = ArticleFactory(grid_node=community, status=Article.Status.DRAFT)
    with pytest.raises(PermissionDenied):
        news.publish(by=other_community_admin, article=article)
    assert news.publish(by=community_admin, article=article).status == Article.Status.PUBLISHED


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, format="PNG")
    return out.getvalue()


def _admin_post(client, user, community, **files):
    client.force_login(user)
    data = {
        "kind": "news",
        "title": "舜园社区开展垃圾分类宣传",
        "summary": "",
        "body": "正文",
        "grid_node": community.pk,
        "source": "",
        "publish_at_0": "2026-11-20",
        "publish_at_1": "09:00:00",
        "status": "published",
        "attachments-TOTAL_FORMS": "1" if "attachment" in files else "0",
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
    }
    if "cover" in files:
        data["cover"] = files["cover"]
    if "attachment" in files:
        data["attachments-0-name"] = "活动方案"
        data["attachments-0-file"] = files["attachment"]
    return client.post(reverse("admin:alliance_article_add"), data)


def test_a_community_admin_publishes_with_a_cover_and_an_attachment(
    client, community, community_admin, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    r = _admin_post(
        client,
        community_admin,
        community,
        cover=SimpleUploadedFile("cover.png", _png(), content_type="image/png"),
        attachment=SimpleUploadedFile("plan.pdf", b"%PDF-1.4 demo", content_type="application/pdf"),
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    article = Article.objects.get()
    assert article.author == community_admin and article.cover and article.attachments.get().size == 13


def test_a_cover_that_is_not_an_image_and_a_disguised_attachment_are_refused(
    client, community, community_admin, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    r = _admin_post(client, community_admin, community, cover=SimpleUploadedFile("c.png", b"not an image"))
    assert r.status_code == 200 and "cover" in r.context["adminform"].form.errors  # Pillow cannot read it
    r = _admin_post(client, community_admin, community, attachment=SimpleUploadedFile("a.pdf", b"MZ\x90\x00 exe"))
    assert r.status_code == 200 and "附件内容与文件类型不符" in r.content.decode()
    r = _admin_post(client, community_admin, community, attachment=SimpleUploadedFile("a.exe", b"MZ"))
    assert "附件只能是" in r.content.decode()
    assert not Article.objects.exists()


def test_a_community_admin_cannot_publish_for_another_community(client, other_community, community_admin):
    r = _admin_post(client, community_admin, other_community)
    assert r.status_code == 200 and not Article.objects.exists()  # the other community is not a choice
