"""A fan-out whose worker is killed (SIGKILL) half way: after a restart every resident has the notice once,
with one delivery per channel they chose; the batches done before the kill are not redone."""

import signal

import pytest
from django.db import connection

from alliance.core.models import Broadcast, BroadcastBatch, Notification, NotificationDelivery, NotificationPreference
from members.audiences import RESIDENTS
from members.models import User
from tests.faults.conftest import wait_until, worker_log
from tests.faults.test_worker_killed import hold_notification

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

PEOPLE = 3000
SIZE = 300  # ten batches


def blocked_backends() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def residents(community) -> list[User]:
    User.objects.bulk_create(
        User(username=f"fan{i}", password="!", role=User.Role.RESIDENT, grid_node=community, phone=f"139{i:08d}")
        for i in range(PEOPLE)
    )
    people = list(User.objects.filter(username__startswith="fan").order_by("pk"))
    # Every third chose SMS, every fifth e-mail (and gave an address).
    User.objects.filter(pk__in=[p.pk for p in people[::5]]).update(email="r@example.cn")
    NotificationPreference.objects.bulk_create(
        NotificationPreference(user=p, sms=i % 3 == 0, email=i % 5 == 0)
        for i, p in enumerate(people)
        if i % 3 == 0 or i % 5 == 0
    )
    return people


def test_a_fan_out_killed_half_way_ends_with_one_row_per_person_and_channel(
    private_redis, worker_factory, community, tmp_path
):
    from alliance.celery import app

    people = residents(community)
    job = Broadcast.objects.create(
        key="article:9:notice", audience=RESIDENTS, area=str(community.pk), title="通知公告：停水", batch_size=SIZE
    )
    # The sixth batch (people[1500:1800]) will wait on this uncommitted row of its first person.
    release, holder = hold_notification(people[5 * SIZE], job.key)
    try:
        worker = worker_factory(redis_url=private_redis.url)
        with app.connection_for_write(private_redis.url) as conn:
            app.send_task("core.start_broadcast", (job.pk,), connection=conn)
        wait_until(
            lambda: blocked_backends() >= 1, timeout=60, what=f"the sixth batch to start\n{worker_log(tmp_path)}"
        )
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        release.set()
        holder.join(10)

    batches = BroadcastBatch.objects.filter(broadcast=job)
    done_before = dict(batches.filter(done_at__isnull=False).values_list("number", "done_at"))
    # Killed half way: five batches written and committed, the sixth rolled back, the rest still queued.
    assert sorted(done_before) == [0, 1, 2, 3, 4]
    assert Notification.objects.filter(key=job.key).count() == 5 * SIZE
    assert private_redis.client().hlen("unacked") == 1  # the broker still holds the killed batch

    worker_factory(redis_url=private_redis.url)
    wait_until(
        lambda: Broadcast.objects.filter(pk=job.pk, status=Broadcast.Status.DONE).exists(),
        timeout=120,
        what=f"the restarted worker to finish the fan-out\n{worker_log(tmp_path)}",
    )

    # Every resident has the notice exactly once ...
    rows = Notification.objects.filter(key=job.key)
    assert sorted(rows.values_list("recipient_id", flat=True)) == [p.pk for p in people]
    # ... and exactly one delivery per channel chosen, none missing, none twice.
    expected = sorted(
        [(p.pk, "sms") for i, p in enumerate(people) if i % 3 == 0]
        + [(p.pk, "email") for i, p in enumerate(people) if i % 5 == 0]
    )
    delivered = NotificationDelivery.objects.filter(notification__key=job.key)
    assert sorted(delivered.values_list("notification__recipient_id", "channel")) == expected
    # The batches done before the kill were not redone; the job shows its end and its totals.
    assert dict(batches.filter(number__in=done_before).values_list("number", "done_at")) == done_before
    job.refresh_from_db()
    assert (job.people_total, job.batches_total) == (PEOPLE, PEOPLE // SIZE)
    assert (job.notifications_created, job.deliveries_created) == (PEOPLE, len(expected))
