"""Notifications moved from services into the kernel by migrations that keep every row (and their content types)."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from alliance.core.models import Notification, NotificationDelivery, NotificationPreference, NotificationSettings
from tests.members.factories import ResidentFactory

BEFORE_THE_MOVE = ("services", "0008_contact_phones_validated")


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor


def constraint_names(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, table))


@pytest.mark.slow  # the whole schema migrated back and forth: minutes
@pytest.mark.django_db(transaction=True)
def test_migrating_from_services_to_the_kernel_keeps_every_row():
    user = ResidentFactory()
    try:
        old = migrate([BEFORE_THE_MOVE, ("core", None)]).loader.project_state([BEFORE_THE_MOVE]).apps
        assert "core_notification" not in connection.introspection.table_names()
        # Going back, the kernel's content types returned under services (the old state's rows).
        ContentType.objects.clear_cache()
        delivery_type = ContentType.objects.get(app_label="services", model="notificationdelivery")
        view_delivery = Permission.objects.get(content_type=delivery_type, codename="view_notificationdelivery")

        note = old.get_model("services", "Notification").objects.create(
            recipient_id=user.pk, key="order:1:remind", title="请接单", status="sent", attempts=1
        )
        delivery = old.get_model("services", "NotificationDelivery").objects.create(
            notification_id=note.pk, channel="sms", address="13800000000", status="failed", attempts=4
        )
        old.get_model("services", "NotificationPreference").objects.create(user_id=user.pk, sms=True)
        old.get_model("services", "NotificationSettings").objects.create(pk=1, max_attempts=7)
        old.get_model("services", "HistoricalNotificationSettings").objects.create(
            id=1, max_attempts=7, history_date=timezone.now(), history_type="+"
        )
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    moved = Notification.objects.get(pk=note.pk)
    assert (moved.recipient_id, moved.key, moved.title, moved.status) == (user.pk, "order:1:remind", "请接单", "sent")
    assert NotificationDelivery.objects.get(pk=delivery.pk).notification_id == note.pk
    assert NotificationPreference.objects.get(user=user).channels() == ["sms"]
    settings_row = NotificationSettings.load()
    assert settings_row.max_attempts == 7
    assert settings_row.history.get().max_attempts == 7

    # The content type kept its id (so permissions and admin log entries follow), now under the kernel.
    ContentType.objects.clear_cache()
    assert ContentType.objects.get_for_model(NotificationDelivery).pk == delivery_type.pk
    assert Permission.objects.get(pk=view_delivery.pk).content_type.app_label == "core"
    assert not ContentType.objects.filter(app_label="services", model__contains="notification").exists()

    # The names that carried the old app's name follow the tables; the single-row check still holds.
    assert "core_notificationsettings_single_row" in constraint_names("core_notificationsettings")
    assert "core_notifi_recipie_43dea6_idx" in constraint_names("core_notification")
    with pytest.raises(IntegrityError), transaction.atomic():
        NotificationSettings.objects.bulk_create([NotificationSettings(pk=2)])
    # New rows carry on from the old ids.
    later = Notification.objects.create(recipient=user, key="order:2:remind", title="请接单")
    assert later.pk > note.pk
