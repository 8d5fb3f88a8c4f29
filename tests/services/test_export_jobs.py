"""Big exports run as a job (alliance.core.export_jobs): a real worker writes the file, only its owner downloads it."""

import datetime
import io
import time

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from alliance.core import export_jobs
from alliance.core.models import ExportJob, Notification
from tests.members.factories import CommunityAdminFactory, ResidentFactory
from tests.services.factories import MenuItemFactory, OrderFactory


@pytest.fixture
def export_root(tmp_path, monkeypatch, settings):
    """Export files in a temporary directory, for this process and for the worker it starts (environment)."""
    root = tmp_path / "exports"
    monkeypatch.setenv("EXPORT_ROOT", str(root))
    settings.EXPORT_ROOT = root
    return root


@pytest.fixture
def export_worker(export_root, celery_worker):
    return celery_worker


def wait_for(job: ExportJob, timeout: float = 60) -> ExportJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.finished:
            return job
        time.sleep(0.3)
    raise AssertionError(f"the export job is still {job.status}")


def workbook_rows(response) -> list[tuple]:
    data = b"".join(response.streaming_content)
    return list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


@pytest.mark.worker
@override_settings(EXPORT_SYNC_MAX_ROWS=2)
def test_a_big_export_finishes_as_a_job_and_only_its_owner_downloads_it(
    client, export_worker, export_root, community, other_community, unit
):
    # Given 3 orders of 舜园社区 with one status, one other order, and one of 舜华社区 (the threshold is 2 rows)
    resident = ResidentFactory(grid_node=community)
    item = MenuItemFactory(provider_unit=unit, title="老年助餐")
    OrderFactory.create_batch(3, resident=resident, menu_item=item, status="accepted")
    OrderFactory(resident=resident, menu_item=item, status="cancelled")
    OrderFactory(resident=ResidentFactory(grid_node=other_community))
    owner = CommunityAdminFactory(grid_node=community)
    client.force_login(owner)

    # When the community admin exports the accepted orders
    response = client.get(reverse("admin:services_order_export_excel"), {"status__exact": "accepted", "p": "2"})

    # Then a job is recorded with the list's filters and they are taken to its page
    job = ExportJob.objects.get()
    assert (job.user, job.export, job.query, job.title) == (owner, "services.order", "status__exact=accepted", "点单")
    assert response.status_code == 302 and response["Location"] == reverse("admin:core_exportjob_change", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert "alliance/export_job.js" in page and "刷新进度" in page

    # The worker runs it: the file holds the 3 accepted orders of the community, and the owner is told.
    job = wait_for(job)
    assert job.status == "done", job.error
    assert (job.rows_done, job.rows_total) == (3, 3)
    assert job.file_name == f"点单-{timezone.localdate():%Y%m%d}.xlsx"
    assert (export_root / job.file.name).is_file()
    assert Notification.objects.filter(recipient=owner, key=f"export:{job.pk}:done").exists()
    progress = client.get(reverse("admin:core_exportjob_progress", args=[job.pk])).json()
    assert (progress["status"], progress["percent"], progress["finished"]) == ("done", 100, True)

    download = client.get(reverse("admin:core_exportjob_download", args=[job.pk]))
    assert download.status_code == 200
    rows = workbook_rows(download)
    assert rows[0][:2] == ("编号", "服务项目")
    assert [r[8] for r in rows[1:]] == ["已接单"] * 3
    assert "filename*=UTF-8''" in download["Content-Disposition"]

    # Another admin of the same community can neither download it nor see it in their list.
    client.force_login(CommunityAdminFactory(grid_node=community))
    assert client.get(reverse("admin:core_exportjob_download", args=[job.pk])).status_code == 404
    assert client.get(reverse("admin:core_exportjob_change", args=[job.pk])).status_code == 404
    assert "点单-" not in client.get(reverse("admin:core_exportjob_changelist")).content.decode()


def test_a_job_is_run_with_the_scope_its_owner_has_when_it_runs(db, export_root, community, other_community):
    resident = ResidentFactory(grid_node=community)
    OrderFactory.create_batch(2, resident=resident)
    OrderFactory(resident=ResidentFactory(grid_node=other_community))
    owner = CommunityAdminFactory(grid_node=community)
    job = ExportJob.objects.create(user=owner, export="services.order", title="点单", query="")
    owner.grid_node = other_community  # moved to 舜华社区 before the worker took the job
    owner.save()

    assert export_jobs.run_job(job.pk) == "done"
    assert export_jobs.run_job(job.pk) == "skipped"  # a second run does nothing

    job.refresh_from_db()
    assert (job.status, job.rows_total) == ("done", 1)


def test_a_job_of_a_closed_account_fails_and_says_why(db, export_root, community):
    owner = CommunityAdminFactory(grid_node=community, is_active=False)
    job = ExportJob.objects.create(user=owner, export="services.order", title="点单", query="")

    assert export_jobs.run_job(job.pk) == "failed"

    job.refresh_from_db()
    assert job.status == "failed" and job.error == "您已无权导出该列表。"


def test_jobs_older_than_seven_days_are_deleted_with_their_files(db, export_root, community):
    owner = CommunityAdminFactory(grid_node=community)
    old = ExportJob.objects.create(user=owner, export="services.order", title="点单", status="done")
    old.file.save("orders.xlsx", ContentFile(b"x"))
    ExportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    recent = ExportJob.objects.create(user=owner, export="services.order", title="点单", status="done")
    path = export_root / old.file.name

    assert path.is_file()
    assert export_jobs.prune_jobs() == 1
    assert list(ExportJob.objects.all()) == [recent]
    assert not path.exists()


def test_the_file_is_not_under_the_public_media_root(db, export_root, settings, community):
    owner = CommunityAdminFactory(grid_node=community)
    job = ExportJob.objects.create(user=owner, export="services.order", title="点单", status="done")
    job.file.save("orders.xlsx", ContentFile(b"x"))

    assert job.file.path.startswith(str(export_root))
    assert not job.file.path.startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        job.file.url  # noqa: B018 - no public address exists


@override_settings(EXPORT_SYNC_MAX_ROWS=1)
def test_asking_again_while_the_job_waits_opens_the_same_job(client, export_root, community):
    OrderFactory.create_batch(2, resident=ResidentFactory(grid_node=community))
    client.force_login(CommunityAdminFactory(grid_node=community))
    url = reverse("admin:services_order_export_excel")

    first = client.get(url, {"status__exact": "submitted"})
    again = client.get(url, {"status__exact": "submitted"})
    other = client.get(url)

    assert first["Location"] == again["Location"] != other["Location"]
    assert ExportJob.objects.count() == 2


def test_the_sweep_sends_forgotten_jobs_again_and_fails_lost_ones(db, export_root, community, monkeypatch):
    owner = CommunityAdminFactory(grid_node=community)
    long_ago = timezone.now() - datetime.timedelta(hours=2)
    forgotten = ExportJob.objects.create(user=owner, export="services.order", title="点单")
    lost = ExportJob.objects.create(user=owner, export="services.order", title="点单", status="running")
    ExportJob.objects.update(created_at=long_ago)
    ExportJob.objects.filter(pk=lost.pk).update(started_at=long_ago)
    sent = []
    monkeypatch.setattr(export_jobs, "enqueue_on_commit", lambda task, *args: sent.append((task, args)))

    assert export_jobs.sweep_jobs() == {"resent": 1, "failed": 1}

    assert sent == [("core.run_export_job", (forgotten.pk,))]
    lost.refresh_from_db()
    assert lost.status == "failed" and Notification.objects.filter(key=f"export:{lost.pk}:failed").exists()


@override_settings(EXPORT_SYNC_MAX_ROWS=2)
def test_a_job_asked_for_in_english_is_written_in_english(db, export_root, community):
    """The worker runs in Chinese; the job keeps the language of the page it was asked from."""
    from django.utils import translation

    OrderFactory.create_batch(2, resident=ResidentFactory(grid_node=community))
    owner = CommunityAdminFactory(grid_node=community)
    with translation.override("en"):
        english = export_jobs.start_job(by=owner, key="services.order", title="Orders", query="")
    chinese = export_jobs.start_job(by=owner, key="services.order", title="点单", query="o=1")
    assert (english.language, chinese.language) == ("en", "zh-hans")

    for job in (english, chinese):
        assert export_jobs.run_job(job.pk) == "done"
        job.refresh_from_db()
    english_headers = load_workbook(english.file.path).active[1]
    chinese_headers = load_workbook(chinese.file.path).active[1]
    assert [c.value for c in chinese_headers][:2] != [c.value for c in english_headers][:2]
    assert not any("\u4e00" <= ch <= "\u9fff" for c in english_headers for ch in str(c.value or ""))
    notices = dict(Notification.objects.filter(recipient=owner).values_list("key", "title"))
    assert notices[f"export:{english.pk}:done"].startswith("Export")
    assert notices[f"export:{chinese.pk}:done"].startswith("导出完成")
