"""The two names that carried the old app's name follow the tables: the single-row check of the settings (the
constraint ``services.0007_settings_single_row`` added, dropped and added again under the kernel's name; the one
row is pk 1, so it holds) and the inbox index of notifications (renamed in place). The other constraints and
indexes (``notification_once_per_key``, ``one_delivery_per_channel``, ``delivery_due``) keep their names.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_notification_content_types'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='notificationsettings',
            name='services_notificationsettings_single_row',
        ),
        migrations.RenameIndex(
            model_name='notification',
            new_name='core_notifi_recipie_43dea6_idx',
            old_name='services_no_recipie_f85a45_idx',
        ),
        migrations.AddConstraint(
            model_name='notificationsettings',
            constraint=models.CheckConstraint(condition=models.Q(('id', 1)), name='core_notificationsettings_single_row'),
        ),
    ]
