"""Notifications move into the kernel (alliance.core, app label "core") keeping every row.

Django's recipe for moving models between apps (SeparateDatabaseAndState): here the tables are renamed to the
kernel's names and the models leave services' state; ``core.0001_notifications_from_services`` takes them into
its state without touching the database, and ``core.0002`` moves their content types (permissions, admin log).
Constraint and index names are the old ones until ``core.0003`` renames the two that carry the app's name.
"""

from django.db import migrations

TABLES = {
    'notification': 'core_notification',
    'notificationdelivery': 'core_notificationdelivery',
    'notificationpreference': 'core_notificationpreference',
    'historicalnotificationpreference': 'core_historicalnotificationpreference',
    'notificationsettings': 'core_notificationsettings',
    'historicalnotificationsettings': 'core_historicalnotificationsettings',
}


class Migration(migrations.Migration):

    dependencies = [
        ('services', '0008_contact_phones_validated'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AlterModelTable(name=name, table=table) for name, table in TABLES.items()],
            state_operations=[
                # Deliveries point at notifications: they leave first.
                migrations.DeleteModel(name='NotificationDelivery'),
                migrations.DeleteModel(name='Notification'),
                migrations.DeleteModel(name='HistoricalNotificationPreference'),
                migrations.DeleteModel(name='NotificationPreference'),
                migrations.DeleteModel(name='HistoricalNotificationSettings'),
                migrations.DeleteModel(name='NotificationSettings'),
            ],
        ),
    ]
