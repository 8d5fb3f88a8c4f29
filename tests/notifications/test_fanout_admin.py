"""The fan-out's job record in the admin (群发任务): read-only, its progress, and each admin sees their area's."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alliance.core.models import Broadcast, BroadcastBatch
from members.models import User
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def jobs(community):
    now = timezone.now()
    street_job = Broadcast.objects.create(
        key="article:1:notice",
        audience="members.residents",
        area=str(community.pk),
        area_name=community.name,
        title="通知公告：停水通知",
        status=Broadcast.Status.RUNNING,
        people_total=5,
        batches_total=3,
        started_at=now,
    )
    BroadcastBatch.objects.create(broadcast=street_job, number=1, next_pk=10, people=2, done_at=now)
    BroadcastBatch.objects.create(broadcast=street_job, number=2, first_pk=10, next_pk=20, people=2, done_at=now)
    BroadcastBatch.objects.create(broadcast=street_job, number=3, first_pk=20, people=1)
    district_job = Broadcast.objects.create(key="article:2:notice", audience="members.residents", title="全区停电检修")
    return street_job, district_job


def _rows(client, user):
    client.force_login(user)
    r = client.get(reverse("admin:core_broadcast_changelist"))
    return r, {str(job) for job in r.context["cl"].result_list} if r.status_code == 200 else set()


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("admin:core_broadcast_changelist")).status_code == 200
    return len(queries)


def test_the_job_list_shows_area_status_and_progress_of_people_and_batches(client, jobs):
    district_admin = UserFactory(role=User.Role.DISTRICT_ADMIN, is_staff=True)
    r, titles = _rows(client, district_admin)
    assert titles == {"通知公告：停水通知", "全区停电检修"}
    page = r.content.decode()
    assert "4/5" in page and "2/3" in page and "全区" in page and "正在发送" in page
    street_job, _ = jobs
    r = client.get(reverse("admin:core_broadcast_change", args=[street_job.pk]))
    assert r.status_code == 200 and "群发批次" in r.content.decode()
    assert client.post(reverse("admin:core_broadcast_change", args=[street_job.pk]), {"title": "改"}).status_code == 403
    assert Broadcast.objects.get(pk=street_job.pk).title == "通知公告：停水通知"
    # A fixed number of queries whatever the number of jobs and batches.
    few = _queries(client)
    for n in range(10):
        more = Broadcast.objects.create(key=f"k{n}", audience="members.residents", title=f"通知{n}", batches_total=2)
        BroadcastBatch.objects.create(broadcast=more, number=1, people=3, done_at=timezone.now())
    assert _queries(client) == few


def test_an_area_admin_sees_the_jobs_of_their_area_only(client, jobs, community_admin, other_community_admin):
    assert _rows(client, community_admin)[1] == {"通知公告：停水通知"}
    assert _rows(client, other_community_admin)[1] == set()
