"""The default beat schedules' names now use full-width punctuation; rename the rows made under the old names so
that ``sync_default_schedules`` does not add a second copy of each job beside them."""

from django.db import migrations

RENAMED = {
    "大工委:会议前一天提醒委员": "大工委：会议前一天提醒委员",
    "大工委:每月议事日建会并提醒": "大工委：每月议事日建会并提醒",
    "大工委:会后未录纪要提醒书记": "大工委：会后未录纪要提醒书记",
    "消息补发(邮件、短信、微信)": "消息补发（邮件、短信、微信）",
    "三清单:夜间匹配": "三清单：夜间匹配",
    "三清单:认领无进展提醒": "三清单：认领无进展提醒",
    "三清单:项目截止认领提醒": "三清单：项目截止认领提醒",
}


def rename(apps, mapping):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for old, new in mapping.items():
        if not PeriodicTask.objects.filter(name=new).exists():
            PeriodicTask.objects.filter(name=old).update(name=new)


def forwards(apps, schema_editor):
    rename(apps, RENAMED)


def backwards(apps, schema_editor):
    rename(apps, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_full_width_punctuation"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
