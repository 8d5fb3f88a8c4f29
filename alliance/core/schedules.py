"""Default beat schedules, registered in the database where admins can edit them.

Each installed app lists its periodic jobs in ``<app>/schedules.py`` as ``DEFAULT_SCHEDULES`` (found through
the app registry, the way Django's admin autodiscovery finds ``admin.py``):
``{"name": "...", "task": "app.tasks.x_task", "crontab": {"minute": "0", "hour": "2"}}`` or
``{"name": "...", "task": "...", "every_seconds": 300}``. A schedule that already exists is
left as the admins set it; only missing ones are created.
"""

import json
from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

# The kernel's own periodic jobs (alliance.core.tasks, alliance.core.job_runs).
DEFAULT_SCHEDULES = [
    {
        "name": "消息补发（邮件、短信、微信）",
        "task": "services.send_due_notifications",
        "every_seconds": 60,
        "description": "发送到期的消息投递：免打扰结束后的短信和微信、失败后的重试、消息队列中断时遗留的投递。",
    },
    {
        "name": "查询短信回执",
        "task": "core.query_sms_receipts",
        "every_seconds": 300,
        "description": "向短信服务商（阿里云）查询近两天已发短信是否送达；腾讯云的回执由其推送到回执地址。",
    },
    {
        # The record of job runs (alliance.core.job_runs), most of it written by the sweep above.
        "name": "清理过期的任务运行记录",
        "task": "alliance.prune_job_runs",
        "crontab": {"minute": "30", "hour": "3"},
        "description": "删除30天前的定时任务运行记录。",
    },
    {
        "name": "清理过期的导出文件",
        "task": "core.prune_export_jobs",
        "crontab": {"minute": "40", "hour": "3"},
        "description": "删除7天前的Excel导出任务及其文件。",
    },
    {
        "name": "补发未执行的导出任务",
        "task": "core.sweep_export_jobs",
        "every_seconds": 300,
        "description": "消息队列中断时遗留的导出任务重新排队；中断超过70分钟的导出标为失败并通知导出人。",
    },
    {
        "name": "群发续发",
        "task": "core.sweep_broadcasts",
        "every_seconds": 60,
        "description": "开始到期的群发任务；重新排队中断的群发批次（已完成的批次不会重发）；标记写完的群发任务为已完成。",
    },
]


def default_schedules() -> list[dict]:
    """Every installed app's ``schedules.DEFAULT_SCHEDULES``, in INSTALLED_APPS order."""
    found: list[dict] = []
    for config in apps.get_app_configs():
        if config.module is None or not module_has_submodule(config.module, "schedules"):
            continue
        module = import_module(f"{config.name}.schedules")
        found.extend(getattr(module, "DEFAULT_SCHEDULES", []))
    return found


def sync_default_schedules(**kwargs) -> int:
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
            # The first of equal intervals: admins (or an older sync) may have saved the same one twice.
            interval = {"every": entry["every_seconds"], "period": IntervalSchedule.SECONDS}
            fields["interval"] = IntervalSchedule.objects.filter(**interval).order_by(
                "pk"
            ).first() or IntervalSchedule.objects.create(**interval)
        if entry.get("kwargs"):
            fields["kwargs"] = json.dumps(entry["kwargs"])
        PeriodicTask.objects.create(name=entry["name"], **fields)
        created += 1
    return created
