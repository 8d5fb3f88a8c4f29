"""The content types of the moved notification models follow them: app_label 'services' becomes 'core'.

Renaming the rows (not creating new ones) keeps their ids, so the permissions granted on these models and the
admin log entries about their rows stay attached. On a new database there are no rows yet: Django creates the
kernel's content types after migrating, as for any app.
"""

from django.db import migrations

MODELS = [
    'notification',
    'notificationdelivery',
    'notificationpreference',
    'historicalnotificationpreference',
    'notificationsettings',
    'historicalnotificationsettings',
]


def move(old: str, new: str):
    def run(apps, schema_editor):
        ContentType = apps.get_model('contenttypes', 'ContentType')
        for model in MODELS:
            moving = ContentType.objects.filter(app_label=old, model=model)
            if not moving.exists():
                continue
            # A row under the new label exists only if a migrate stopped between 0001 and here and its post-migrate
            # step made it (with fresh permissions, doubles of the old row's): the old row, with its ids, wins.
            ContentType.objects.filter(app_label=new, model=model).delete()
            moving.update(app_label=new)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0001_notifications_from_services'),
    ]

    operations = [
        migrations.RunPython(move('services', 'core'), move('core', 'services')),
    ]
