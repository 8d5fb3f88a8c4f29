"""The digests: one per person per period, only the followed areas' items, none when nothing happened, no
personal data, exactly once under two runs at the same time."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alliance.core.feeds import Topic
from alliance.following import actions
from alliance.following.models import Digest, Follow
from tests.following.conftest import SECRET_NAME, SECRET_PHONE
from tests.members.factories import ResidentFactory
from tests.news.factories import ArticleFactory

ALL = list(Topic.values)


def _follow(user, node, frequency="weekly", topics=ALL):
    return actions.follow(by=user, node=node, topics=topics, frequency=frequency, channel="email")


@pytest.mark.django_db
def test_a_weekly_digest_has_the_followed_areas_items_only_and_no_personal_data(follower, community, items):
    _follow(follower, community)

    counts = actions.send_digests(frequency="weekly")

    assert counts == {"sent": 1}
    [message] = mail.outbox
    assert message.to == ["follower@example.cn"]
    html = message.alternatives[0][0]
    for text in (message.body, html, message.subject):
        assert SECRET_NAME not in text and SECRET_PHONE not in text
    for title in ("舜园社区开展垃圾分类宣传", "舜玉路街道停水通知", "3号楼加装扶手", "社区义诊项目", "重阳节敬老活动"):
        assert title in message.body and title in html
    for absent in ("舜华社区新闻", "街道党工委会议召开", "待审核的需求"):
        assert absent not in message.body
    assert "有5条新动态" in message.subject
    digest = Digest.objects.get()
    assert (digest.user, digest.status, digest.item_count, digest.channels) == (follower, "sent", 5, ["email"])


@pytest.mark.django_db
def test_the_chosen_topics_only_and_the_daily_follows_only(follower, community, micro_grid, items):
    _follow(follower, community, frequency="daily", topics=["activities"])
    weekly = ResidentFactory(grid_node=community, email="weekly@example.cn")
    _follow(weekly, micro_grid)  # a micro-grid: its need, its community's articles, the street's notice

    actions.send_digests(frequency="daily")
    [daily] = mail.outbox
    assert "重阳节敬老活动" in daily.body and "舜园社区开展垃圾分类宣传" not in daily.body

    actions.send_digests(frequency="weekly")
    micro = mail.outbox[1].body
    assert "3号楼加装扶手" in micro and "舜园社区开展垃圾分类宣传" in micro and "舜玉路街道停水通知" in micro
    assert "重阳节敬老活动" not in micro  # an activity of the community, not of the micro-grid


@pytest.mark.django_db
def test_a_run_twice_sends_one_digest_and_the_next_period_only_what_is_new(follower, community, items):
    _follow(follower, community, frequency="daily")
    now = timezone.now()
    actions.send_digests(frequency="daily", now=now)
    actions.send_digests(frequency="daily", now=now + datetime.timedelta(minutes=5))  # a retried task

    assert len(mail.outbox) == 1 and Digest.objects.count() == 1

    tomorrow = now + datetime.timedelta(days=1)
    assert actions.send_digests(frequency="daily", now=tomorrow) == {}  # nothing happened: no digest
    assert len(mail.outbox) == 1

    ArticleFactory(grid_node=community, title="新的一天的新闻", publish_at=tomorrow + datetime.timedelta(hours=1))
    actions.send_digests(frequency="daily", now=tomorrow + datetime.timedelta(days=1))
    assert len(mail.outbox) == 2
    body = mail.outbox[1].body
    assert "新的一天的新闻" in body and "舜园社区开展垃圾分类宣传" not in body


@pytest.mark.django_db
def test_nothing_happened_no_digest(follower, community):
    _follow(follower, community)
    assert actions.send_digests(frequency="weekly") == {}
    assert not mail.outbox and not Digest.objects.exists()


@pytest.mark.django_db
def test_the_digest_page_is_its_owners(client, follower, community, items):
    _follow(follower, community)
    actions.send_digests(frequency="weekly")
    digest = Digest.objects.get()

    client.force_login(follower)
    page = client.get(f"/follow/digests/{digest.pk}/").content.decode()
    assert "重阳节敬老活动" in page and SECRET_NAME not in page
    client.force_login(ResidentFactory(grid_node=community))
    assert client.get(f"/follow/digests/{digest.pk}/").status_code == 404


@pytest.mark.django_db
def test_many_followers_are_served_in_chunks(monkeypatch, community, items):
    monkeypatch.setattr("alliance.following.actions.digests.CHUNK", 3)
    people = [ResidentFactory(grid_node=community, email=f"p{i}@example.cn") for i in range(7)]
    for person in people:
        _follow(person, community)

    assert actions.send_digests(frequency="weekly") == {"sent": 7}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert set(Follow.objects.values_list("digested_until", flat=True)) != {None}


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_time_write_and_send_one_digest_per_person(street, community, items):
    people = [ResidentFactory(grid_node=community, email=f"r{i}@example.cn") for i in range(5)]
    for person in people:
        _follow(person, community)
    now = timezone.now()
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait()
            actions.send_digests(frequency="weekly", now=now)
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert Digest.objects.count() == 5
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)


def _prepare_queries(frequency="weekly") -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        written = actions.prepare_digests(frequency=frequency)
    return len(written), len(ctx.captured_queries)


@pytest.mark.django_db
def test_preparing_the_digests_costs_the_same_queries_for_three_followers_or_thirty(street, community, items):
    # Per chunk: the people, those served, their follows, each source once per (area, topics, window), the insert,
    # the read-back, the update of the follows; then the empty next chunk. Never per follower.
    def followers(n, start):
        for i in range(start, start + n):
            _follow(ResidentFactory(grid_node=community, email=f"f{i}@example.cn"), community)

    followers(3, 0)
    few = _prepare_queries()
    Digest.objects.all().delete()
    Follow.objects.update(digested_until=None)
    followers(27, 3)
    many = _prepare_queries()

    assert few[0] == 3 and many[0] == 30
    assert few[1] == many[1]
