"""The beat schedule in the admin: each job's last run and outcome, recorded by Celery's result backend
(django_celery_results' TaskResult, shown as JobRun)."""

import pytest
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from alliance.committee.models import JobRun
from alliance.core.schedule_text import describe_task
from alliance.core.schedules import sync_default_schedules
from alliance.core.tasks import send_delivery_task
from services import actions
from services.tasks import remind_activities_day_before_task


def test_each_run_of_a_job_is_recorded_with_its_outcome(db, monkeypatch):
    result = remind_activities_day_before_task.apply()
    run = JobRun.objects.get(task_id=result.id)
    assert (run.task_name, run.status, run.result) == ("services.remind_activities_day_before", "SUCCESS", "0")
    assert run.date_done >= run.date_created

    def broken(**kwargs):
        raise RuntimeError("数据库连接中断")

    monkeypatch.setattr(actions, "remind_activities_day_before", broken)
    result = remind_activities_day_before_task.apply()
    run = JobRun.objects.get(task_id=result.id)
    assert run.status == "FAILURE" and "RuntimeError" in run.result and "数据库连接中断" in run.traceback


def test_one_off_tasks_are_not_recorded(db):
    send_delivery_task.apply(args=(0,))
    assert not JobRun.objects.exists()


def test_any_task_beat_sends_is_recorded_too():
    from alliance.core.job_runs import record_beat_runs

    sent_by_beat = {"task": "services.send_delivery", "ignore_result": None, "periodic_task_name": "管理员添加的任务"}
    record_beat_runs(headers=sent_by_beat)
    assert sent_by_beat["ignore_result"] is False
    one_off = {"task": "services.send_delivery", "ignore_result": None}
    record_beat_runs(headers=one_off)
    assert one_off["ignore_result"] is None


@pytest.fixture
def schedules(db):
    sync_default_schedules()
    return PeriodicTask.objects.exclude(task="celery.backend_cleanup")


def test_the_schedule_list_shows_every_job_with_its_last_run(client, superuser, schedules, django_assert_num_queries):
    remind_activities_day_before_task.apply()
    client.force_login(superuser)
    page = client.get(reverse("admin:django_celery_beat_periodictask_changelist")).content.decode()
    for task in schedules:
        assert task.name in page
    assert "最近运行" in page and "成功" in page and "尚未运行" in page


def _list_queries(client, django_assert_num_queries) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("admin:django_celery_beat_periodictask_changelist"))
    return len(ctx.captured_queries)


def test_the_schedule_list_runs_the_same_queries_with_more_runs(
    client, superuser, schedules, django_assert_num_queries
):
    client.force_login(superuser)
    few = _list_queries(client, django_assert_num_queries)
    for _ in range(3):
        remind_activities_day_before_task.apply()
    assert _list_queries(client, django_assert_num_queries) == few


def test_street_admins_edit_schedules_in_chinese_community_admins_do_not_see_them(
    client, schedules, street_admin, community_admin
):
    task = schedules.filter(crontab__isnull=False).first()
    change = reverse("admin:django_celery_beat_periodictask_change", args=[task.pk])
    changelist = reverse("admin:django_celery_beat_periodictask_changelist")
    client.force_login(community_admin)
    assert client.get(changelist).status_code == 403
    assert client.get(change).status_code == 403
    r = client.post(changelist, {"action": "disable_tasks", "_selected_action": [task.pk]})
    task.refresh_from_db()
    assert task.enabled and r.status_code == 403
    client.force_login(street_admin)
    page = client.get(change).content.decode()
    assert 'name="_save"' in page
    assert describe_task(task) in page and task.task not in page and "Regtask" not in page
    assert "每" in client.get(changelist).content.decode()
    client.post(changelist, {"action": "disable_tasks", "_selected_action": [task.pk]})
    task.refresh_from_db()
    assert not task.enabled


def test_job_runs_are_for_superusers_read_only(client, superuser, street_admin, db):
    remind_activities_day_before_task.apply()
    run = JobRun.objects.get()
    client.force_login(street_admin)
    assert client.get(reverse("admin:alliance_jobrun_changelist")).status_code == 403
    client.force_login(superuser)
    assert client.get(reverse("admin:alliance_jobrun_changelist")).status_code == 200
    assert client.get(reverse("admin:alliance_jobrun_add")).status_code == 403
    assert 'name="_save"' not in client.get(reverse("admin:alliance_jobrun_change", args=[run.pk])).content.decode()


def test_runs_older_than_thirty_days_are_forgotten(db):
    import datetime

    from django.utils import timezone

    from alliance.core.job_runs import prune_job_runs_task

    now = timezone.now()
    for task_id, days in (("old", 31), ("new", 29)):
        JobRun.objects.create(task_id=task_id, task_name="x")  # date_done is auto_now: set after
        JobRun.objects.filter(task_id=task_id).update(date_done=now - datetime.timedelta(days=days))
    assert prune_job_runs_task.apply().result == 1
    assert set(JobRun.objects.values_list("task_id", flat=True)) >= {"new"}
    assert not JobRun.objects.filter(task_id="old").exists()
