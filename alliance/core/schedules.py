"""Default beat schedules, registered in the database where admins can edit them.

Each app lists its periodic jobs in ``<app>/schedules.py`` as ``DEFAULT_SCHEDULES``:
``{"name": "...", "task": "app.tasks.x_task", "crontab": {"minute": "0", "hour": "2"}}`` or
``{"name": "...", "task": "...", "every_seconds": 300}``. A schedule that already exists is
left as the admins set it; only missing ones are created.
"""

import importlib
import json

SCHEDULE_APPS = ("alliance", "grids", "members", "projects", "services", "alliance.points")


def default_schedules() -> list[dict]:
    found = []
    for app in SCHEDULE_APPS:
        try:
            module = importlib.import_module(f"{app}.schedules" if app != "alliance" else "alliance.committee.jobs")
        except ModuleNotFoundError:
            continue
        found.extend(getattr(module, "DEFAULT_SCHEDULES", []))
    return found


def sync_default_schedules(**kwargs) -> int:
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

    created = 0
    for entry in default_schedules():
        if PeriodicTask.objects.filter(name=entry["name"]).exists():
            continue
        fields = {"task": entry["task"], "description": entry.get("description", "")}
        if "crontab" in entry:
            cron = {"minute": "0", "hour": "*", "day_of_month": "*", "month_of_year": "*", "day_of_week": "*"}
            cron.update(entry["crontab"])
            fields["crontab"], _ = CrontabSchedule.objects.get_or_create(timezone="Asia/Shanghai", **cron)
        else:
            fields["interval"], _ = IntervalSchedule.objects.get_or_create(
                every=entry["every_seconds"], period=IntervalSchedule.SECONDS
            )
        if entry.get("kwargs"):
            fields["kwargs"] = json.dumps(entry["kwargs"])
        PeriodicTask.objects.create(name=entry["name"], **fields)
        created += 1
    return created
