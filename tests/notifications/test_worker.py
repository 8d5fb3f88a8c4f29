"""A real worker delivers a reminder once, through each chosen channel, however often the sweep runs."""

import time

import pytest
from django.utils import timezone

from alliance.committee.models import JobRun
from alliance.core.models import NotificationDelivery, NotificationPreference, NotificationSettings
from alliance.core.notifications import notify
from tests.members.factories import ResidentFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_reminder_is_delivered_once_by_the_worker(celery_worker, community):
    # No quiet hours here, whatever the time of day the test runs.
    NotificationSettings.objects.create(quiet_start="00:00", quiet_end="00:00")
    user = ResidentFactory(grid_node=community, email="wang@example.cn")
    NotificationPreference.objects.create(user=user, email=True, sms=True)

    assert notify(recipient=user, key="activity:1:day-before", title="明天上午9点主题党日") is not None
    assert notify(recipient=user, key="activity:1:day-before", title="明天上午9点主题党日") is None
    from alliance.celery import app

    deadline = time.monotonic() + 20
    while NotificationDelivery.objects.filter(status="sent").count() < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    # The sweep finds nothing more to send.
    app.send_task("services.send_due_notifications", kwargs={"now": timezone.now().isoformat()})
    while not JobRun.objects.filter(task_name="services.send_due_notifications", status="SUCCESS").exists():
        assert time.monotonic() < deadline + 10, "the sweep did not run"
        time.sleep(0.2)

    deliveries = NotificationDelivery.objects.filter(notification__recipient=user)
    assert sorted(deliveries.values_list("channel", "status", "attempts")) == [("email", "sent", 1), ("sms", "sent", 1)]
    assert JobRun.objects.get(task_name="services.send_due_notifications").result == "{}"
