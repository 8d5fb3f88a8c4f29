"""The beat schedules' names changed to full-width punctuation: a database made before keeps one copy of each job."""

import importlib

from django.apps import apps
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from alliance.core.schedules import default_schedules, sync_default_schedules

migration = importlib.import_module("alliance.core.migrations.0008_schedule_names_full_width_punctuation")


def test_jobs_saved_under_the_old_names_are_renamed_not_doubled(db):
    PeriodicTask.objects.all().delete()
    every = IntervalSchedule.objects.create(every=60, period=IntervalSchedule.SECONDS)
    for old in migration.RENAMED:
        PeriodicTask.objects.create(name=old, task="x", interval=every)

    migration.forwards(apps, None)
    sync_default_schedules()

    names = set(PeriodicTask.objects.values_list("name", flat=True))
    assert names == {entry["name"] for entry in default_schedules()}
    assert set(migration.RENAMED.values()) <= names

    migration.backwards(apps, None)
    assert set(migration.RENAMED) <= set(PeriodicTask.objects.values_list("name", flat=True))
