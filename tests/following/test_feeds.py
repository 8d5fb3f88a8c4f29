"""Each community's Atom feed per topic: public, the area's items only, no personal data, a fixed query count."""

import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliance.core import feeds
from tests.following.conftest import SECRET_NAME, SECRET_PHONE
from tests.news.factories import ArticleFactory

ATOM = "{http://www.w3.org/2005/Atom}"
pytestmark = pytest.mark.django_db


def _entries(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own response, not untrusted input
    assert root.tag == f"{ATOM}feed"
    return root, root.findall(f"{ATOM}entry"), response.content.decode()


def test_a_community_feed_lists_its_news_and_the_streets_notices_signed_out(client, community, items):
    root, entries, text = _entries(client, f"/follow/feeds/{community.pk}/news.atom")

    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert set(titles) == {"舜园社区开展垃圾分类宣传", "舜玉路街道停水通知"}
    assert "舜华社区新闻" not in text and "街道党工委会议召开" not in text
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == 2 and all(i.startswith("tag:") for i in ids)
    links = [e.find(f"{ATOM}link").get("href") for e in entries]
    assert f"http://testserver/alliance/news/{items['article'].pk}/" in links
    assert root.findtext(f"{ATOM}title") == "舜园社区 · 新闻和通知公告"


def test_the_lists_feed_shows_reviewed_needs_and_projects_and_no_personal_data(client, community, items):
    _root, entries, text = _entries(client, f"/follow/feeds/{community.pk}/lists.atom")

    titles = {e.findtext(f"{ATOM}title") for e in entries}
    assert titles == {"新需求：3号楼加装扶手", "新项目：社区义诊项目"}
    assert "待审核的需求" not in text
    assert SECRET_NAME not in text and SECRET_PHONE not in text


def test_the_activities_feed(client, community, items):
    _root, entries, _text = _entries(client, f"/follow/feeds/{community.pk}/activities.atom")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["新活动：重阳节敬老活动"]


@pytest.mark.parametrize(
    "path", ["{street}/news.atom", "{micro}/news.atom", "{community}/gossip.atom", "999999/news.atom"]
)
def test_a_feed_of_a_street_a_micro_grid_or_an_unknown_topic_is_not_found(client, street, community, micro_grid, path):
    url = "/follow/feeds/" + path.format(street=street.pk, micro=micro_grid.pk, community=community.pk)
    assert client.get(url).status_code == 404


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_feed_runs_a_fixed_number_of_queries_with_one_item_or_many(client, community):
    # 1 the community, then 1 query per source of the topic (committee.articles) — whatever the number of items.
    sources = len(feeds.sources([feeds.Topic.NEWS]))
    url = f"/follow/feeds/{community.pk}/news.atom"
    ArticleFactory(grid_node=community)
    one = _count(client, url)
    for _ in range(60):
        ArticleFactory(grid_node=community)
    many = _count(client, url)
    assert one == many == 1 + sources
    _root, entries, _text = _entries(client, url)
    assert len(entries) == 50  # the newest 50


def test_the_community_page_links_its_feeds_and_the_follow_button(client, community, micro_grid):
    page = client.get(f"/grid/{community.pk}/").content.decode()
    assert 'type="application/atom+xml"' in page and f"/follow/feeds/{community.pk}/news.atom" in page
    assert f"/follow/new/?node={community.pk}" in page
    micro_page = client.get(f"/grid/{micro_grid.pk}/").content.decode()
    assert f"/follow/new/?node={micro_grid.pk}" in micro_page
    street_page = client.get(f"/grid/{community.parent_id}/").content.decode()
    assert "/follow/new/" not in street_page
