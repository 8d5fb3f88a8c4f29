"""A notice reaches every resident of its area once: inbox rows and deliveries written in batches, never twice."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from alliance.committee import news
from alliance.committee.models import Article
from alliance.core import fanout
from alliance.core.models import Broadcast, BroadcastBatch, Notification, NotificationDelivery, NotificationPreference
from members.audiences import RESIDENTS
from members.models import User
from tests.grids.factories import CommunityFactory, StreetFactory
from tests.members.factories import ResidentFactory, UserFactory
from tests.news.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def run_all(job: Broadcast) -> None:
    """What the workers do: the start, then every batch."""
    fanout.start(job.pk)
    for batch in BroadcastBatch.objects.filter(broadcast=job).order_by("number"):
        fanout.run_batch(batch.pk)


def inbox(key: str) -> list[int]:
    return sorted(Notification.objects.filter(key=key).values_list("recipient_id", flat=True))


def test_a_notice_to_a_street_reaches_its_residents_and_party_members_and_nobody_else(
    street, community, other_community, street_admin
):
    # Given residents and a party member below the street, and people elsewhere or on the staff
    here = [ResidentFactory(grid_node=community) for _ in range(4)]
    here.append(ResidentFactory(grid_node=other_community))
    here.append(UserFactory(role=User.Role.PARTY_MEMBER, grid_node=community))
    ResidentFactory(grid_node=CommunityFactory(parent=StreetFactory()))  # another street
    ResidentFactory(grid_node=community, is_active=False)  # a closed account
    # When a fan-out to the street runs in batches of two
    job = fanout.broadcast(
        key="article:1:notice", audience=RESIDENTS, area=str(street.pk), title="通知公告：停水", url="/x/", size=2
    )
    run_all(job)
    # Then each of them has the message once, in three batches, and the job says it is done with its totals
    assert inbox("article:1:notice") == sorted(u.pk for u in here)
    job.refresh_from_db()
    assert job.status == Broadcast.Status.DONE and job.finished_at is not None
    assert (job.people_total, job.batches_total, job.notifications_created) == (6, 3, 6)
    assert fanout.progress(job) == {"batches_done": 3, "batches_total": 3, "people_done": 6, "people_total": 6}
    assert street_admin.notifications.count() == 0


def test_each_person_gets_one_delivery_per_channel_they_chose(community):
    both = ResidentFactory(grid_node=community, email="li@example.cn")
    NotificationPreference.objects.create(user=both, email=True, sms=True)
    no_address = ResidentFactory(grid_node=community, email="")
    NotificationPreference.objects.create(user=no_address, email=True)
    ResidentFactory(grid_node=community)  # the inbox only
    job = fanout.broadcast(key="article:2:notice", audience=RESIDENTS, area=str(community.pk), title="通知", size=2)
    run_all(job)
    rows = NotificationDelivery.objects.filter(notification__key="article:2:notice")
    assert sorted(rows.values_list("notification__recipient_id", "channel", "address", "status", "last_error")) == [
        (both.pk, "email", "li@example.cn", "pending", ""),
        (both.pk, "sms", both.phone, "pending", ""),
        (no_address.pk, "email", "", "failed", "未填写电子邮箱"),
    ]
    assert rows.get(channel="sms").next_attempt_at is not None  # due: the batch's sender (or the sweep) sends it
    job.refresh_from_db()
    assert job.deliveries_created == 3


def test_a_batch_run_again_or_redone_writes_nothing_twice(community):
    people = [ResidentFactory(grid_node=community) for _ in range(3)]
    NotificationPreference.objects.create(user=people[0], sms=True)
    job = fanout.broadcast(key="article:3:notice", audience=RESIDENTS, area=str(community.pk), title="通知", size=2)
    run_all(job)
    batch = BroadcastBatch.objects.get(broadcast=job, number=0)
    # A task delivered twice finds its batch done.
    assert fanout.run_batch(batch.pk) == "done already"
    # A batch redone after its rows were written (its done mark lost) adds no row: the inbox rows are unique.
    BroadcastBatch.objects.filter(pk=batch.pk).update(done_at=None)
    fanout.run_batch(batch.pk)
    assert inbox("article:3:notice") == sorted(p.pk for p in people)
    assert NotificationDelivery.objects.filter(notification__key="article:3:notice").count() == 1


def test_the_sweep_sends_again_a_batch_lost_with_its_worker_and_then_ends_the_job(community, monkeypatch):
    [ResidentFactory(grid_node=community) for _ in range(3)]
    job = fanout.broadcast(key="article:4:notice", audience=RESIDENTS, area=str(community.pk), title="通知", size=2)
    fanout.start(job.pk)
    first, second = BroadcastBatch.objects.filter(broadcast=job).order_by("number")
    fanout.run_batch(first.pk)  # the second batch's worker died
    sent: list = []
    monkeypatch.setattr(fanout, "enqueue_on_commit", lambda *args: sent.append(args))
    # Within its lease the batch is left alone; after it, it is sent again (once).
    assert fanout.sweep()["resent"] == 0
    later = timezone.now() + fanout.LEASE + datetime.timedelta(minutes=1)
    assert fanout.sweep(now=later)["resent"] == 1
    assert sent == [(fanout.BATCH_TASK, second.pk)]
    assert fanout.sweep(now=later)["resent"] == 0  # leased again
    fanout.run_batch(second.pk, now=later)
    job.refresh_from_db()
    assert job.status == Broadcast.Status.DONE and job.notifications_created == 3


def test_an_empty_area_ends_at_once(community):
    job = fanout.broadcast(key="article:5:notice", audience=RESIDENTS, area=str(community.pk), title="通知")
    fanout.start(job.pk)
    job.refresh_from_db()
    assert (job.status, job.batches_total, job.people_total) == (Broadcast.Status.DONE, 0, 0)


def test_publishing_a_notice_tells_the_residents_once_in_chinese_with_a_link(community, community_admin):
    people = [ResidentFactory(grid_node=community) for _ in range(2)]
    notice = ArticleFactory(
        grid_node=community, kind=Article.Kind.NOTICE, title="停水通知", status=Article.Status.DRAFT
    )
    news.publish(by=community_admin, article=notice)
    job = Broadcast.objects.get()
    run_all(job)
    rows = Notification.objects.filter(key=f"article:{notice.pk}:notice")
    assert sorted(rows.values_list("recipient_id", flat=True)) == sorted(p.pk for p in people)
    assert set(rows.values_list("title", "url")) == {
        ("通知公告：停水通知", reverse("alliance:news_detail", args=[notice.pk]))
    }
    # Withdrawn and published again: the same job, nobody told twice.
    news.withdraw(by=community_admin, article=notice)
    news.publish(by=community_admin, article=notice)
    assert Broadcast.objects.count() == 1
    assert fanout.sweep()["started"] == 0
    assert rows.count() == 2


def test_news_items_notify_nobody_and_a_notice_for_later_waits_for_its_time(community, community_admin):
    ResidentFactory(grid_node=community)
    item = ArticleFactory(grid_node=community, kind=Article.Kind.NEWS, status=Article.Status.DRAFT)
    news.publish(by=community_admin, article=item)
    assert not Broadcast.objects.exists()
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    later = ArticleFactory(
        grid_node=community, kind=Article.Kind.NOTICE, status=Article.Status.DRAFT, publish_at=tomorrow
    )
    news.publish(by=community_admin, article=later)
    job = Broadcast.objects.get()
    assert fanout.start(job.pk) == "not yet"
    assert fanout.sweep()["started"] == 0
    assert fanout.sweep(now=tomorrow + datetime.timedelta(minutes=1))["started"] == 1
