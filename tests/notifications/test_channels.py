"""Notifications reach each person through the channels they chose, and nobody else; quiet hours; retries."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from alliance.core import tasks
from alliance.core.models import NotificationDelivery, NotificationPreference, NotificationSettings
from alliance.core.notifications import deliver, notify, quiet_until, send_due_deliveries
from tests.members.factories import ResidentFactory
from tests.notifications.senders import RecordingSender

TZ = timezone.get_current_timezone()
# Tomorrow (local time), so that deliveries written now are due.
DAY = timezone.localdate() + datetime.timedelta(days=1)
NOON = datetime.datetime.combine(DAY, datetime.time(12), tzinfo=TZ)
NIGHT = datetime.datetime.combine(DAY, datetime.time(23, 30), tzinfo=TZ)
MORNING = datetime.datetime.combine(DAY + datetime.timedelta(days=1), datetime.time(7), tzinfo=TZ)


@pytest.fixture(autouse=True)
def _senders(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SMS_SENDER = "tests.notifications.senders.RecordingSender"
    settings.WECHAT_SENDER = "tests.notifications.senders.RecordingSender"
    RecordingSender.sent = []


def person(community, *, email=False, sms=False, wechat=False, **extra):
    user = ResidentFactory(
        grid_node=community, email=f"r{community.pk}-{NotificationPreference.objects.count()}@example.cn"
    )
    NotificationPreference.objects.create(
        user=user, email=email, sms=sms, wechat=wechat, wechat_openid="oWx123" if wechat else "", **extra
    )
    return user


def test_each_person_gets_the_channels_they_chose_and_no_others(community):
    by_mail = person(community, email=True)
    by_sms = person(community, sms=True)
    by_wechat = person(community, wechat=True)
    inbox_only = ResidentFactory(grid_node=community, email="quiet@example.cn")
    for user in (by_mail, by_sms, by_wechat, inbox_only):
        assert notify(recipient=user, key="order:1:remind", title="您的点单有新进展")

    assert send_due_deliveries(now=NOON) == {"sent": 3}

    assert [m.to for m in mail.outbox] == [[by_mail.email]]
    assert mail.outbox[0].subject == "您的点单有新进展"
    assert sorted(RecordingSender.sent) == [
        ("sms", by_sms.phone, "您的点单有新进展"),
        ("wechat", "oWx123", "您的点单有新进展"),
    ]
    # Everybody, the inbox-only person too, has the message in the inbox.
    assert all(u.notifications.count() == 1 for u in (by_mail, by_sms, by_wechat, inbox_only))
    assert not NotificationDelivery.objects.filter(notification__recipient=inbox_only).exists()


def test_a_second_notify_with_the_same_key_sends_nothing_more(community):
    user = person(community, email=True, sms=True)
    assert notify(recipient=user, key="activity:7:day-before", title="明天的活动") is not None
    assert notify(recipient=user, key="activity:7:day-before", title="明天的活动") is None
    send_due_deliveries(now=NOON)
    send_due_deliveries(now=NOON + datetime.timedelta(hours=1))
    assert len(mail.outbox) == 1 and len(RecordingSender.sent) == 1
    assert NotificationDelivery.objects.filter(status="sent", attempts=1).count() == 2


def test_quiet_hours_hold_sms_until_morning_but_email_goes_at_once(community):
    user = person(community, email=True, sms=True)
    notify(recipient=user, key="issue:3:escalate", title="事项已上报")

    assert send_due_deliveries(now=NIGHT) == {"sent": 1, "held": 1}
    assert len(mail.outbox) == 1 and RecordingSender.sent == []
    sms = NotificationDelivery.objects.get(channel="sms")
    assert timezone.localtime(sms.next_attempt_at) == MORNING
    assert send_due_deliveries(now=NIGHT + datetime.timedelta(hours=3)) == {}
    assert send_due_deliveries(now=MORNING + datetime.timedelta(minutes=1)) == {"sent": 1}
    assert RecordingSender.sent == [("sms", user.phone, "事项已上报")]


def test_a_persons_own_quiet_hours_replace_the_global_ones(community):
    user = person(community, sms=True, quiet_start=datetime.time(12, 0), quiet_end=datetime.time(14, 0))
    notify(recipient=user, key="k", title="午休时段")
    assert send_due_deliveries(now=NOON) == {"held": 1}
    assert send_due_deliveries(now=NIGHT) == {"sent": 1}  # 23:30 is outside this person's quiet hours


def test_quiet_hours_across_midnight():
    start, end = datetime.time(22), datetime.time(7)
    assert quiet_until(NOON, start, end) is None
    assert quiet_until(NIGHT, start, end) == MORNING
    early = MORNING - datetime.timedelta(hours=2)
    assert quiet_until(early, start, end) == MORNING
    assert quiet_until(NIGHT, start, start) is None


def test_a_failing_sender_is_retried_with_growing_delays_then_marked_failed(community, settings):
    settings.SMS_SENDER = "tests.notifications.senders.FailingSender"
    NotificationSettings.objects.create(max_attempts=3, retry_minutes=5)
    user = person(community, sms=True)
    notify(recipient=user, key="order:9:remind", title="请尽快接单")
    delivery = NotificationDelivery.objects.get()

    assert deliver(delivery.pk, now=NOON) == "retry"
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.next_attempt_at) == (1, NOON + datetime.timedelta(minutes=5))
    assert "短信网关无响应" in delivery.last_error
    assert deliver(delivery.pk, now=NOON + datetime.timedelta(minutes=1)) == "skipped"  # not due yet
    assert deliver(delivery.pk, now=NOON + datetime.timedelta(minutes=5)) == "retry"
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == NOON + datetime.timedelta(minutes=15)  # 5, then 10 minutes
    assert deliver(delivery.pk, now=NOON + datetime.timedelta(minutes=15)) == "failed"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 3, None)
    assert send_due_deliveries(now=NOON + datetime.timedelta(days=1)) == {}


def test_a_chosen_channel_without_an_address_is_recorded_as_failed(community):
    user = ResidentFactory(grid_node=community, email="")
    NotificationPreference.objects.create(user=user, email=True)
    notify(recipient=user, key="k", title="t")
    delivery = NotificationDelivery.objects.get()
    assert (delivery.status, delivery.last_error) == ("failed", "未填写电子邮箱")


def test_deliveries_are_handed_to_the_broker_after_commit(community, monkeypatch, django_capture_on_commit_callbacks):
    user = person(community, email=True)
    queued = []
    monkeypatch.setattr(tasks.send_delivery_task, "apply_async", lambda args, **kw: queued.append(args[0]))
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=user, key="k", title="t")
        assert queued == []  # nothing leaves before the commit
    assert queued == [NotificationDelivery.objects.get().pk]


def test_with_the_broker_down_the_notification_is_kept_and_the_sweep_sends_it(
    community, monkeypatch, django_capture_on_commit_callbacks
):
    user = person(community, email=True)

    def down(*args, **kwargs):
        raise ConnectionError("Redis 不可用")

    monkeypatch.setattr(tasks.send_delivery_task, "apply_async", down)
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(recipient=user, key="k", title="断线也要送达")
    assert mail.outbox == []
    tasks.send_due_notifications_task.apply()
    assert [m.subject for m in mail.outbox] == ["断线也要送达"]


def test_preferences_page_saves_channels_and_the_email_address(client, community):
    user = ResidentFactory(grid_node=community)
    client.force_login(user)
    url = reverse("services:notification_preferences")
    assert client.get(url).status_code == 200
    r = client.post(url, {"email": "on", "email_address": "", "sms": "on"})
    assert r.status_code == 200 and "请填写邮箱地址" in r.content.decode()
    r = client.post(url, {"email": "on", "email_address": "li@example.cn", "sms": "on"})
    assert r.status_code == 302
    user.refresh_from_db()
    assert user.email == "li@example.cn"
    assert user.notification_preference.channels() == ["email", "sms"]


def test_preferences_need_both_ends_of_quiet_hours(client, community):
    user = ResidentFactory(grid_node=community)
    client.force_login(user)
    r = client.post(reverse("services:notification_preferences"), {"sms": "on", "quiet_start": "21:00"})
    assert r.status_code == 200 and "同时填写" in r.content.decode()
    assert not NotificationPreference.objects.filter(user=user, sms=True).exists()


def test_staff_see_the_deliveries_of_people_in_their_subtree_only(client, community, other_community, community_admin):
    mine = person(community, email=True)
    theirs = person(other_community, email=True)
    notify(recipient=mine, key="k", title="本社区的提醒")
    notify(recipient=theirs, key="k", title="别的社区的提醒")
    client.force_login(community_admin)
    page = client.get(reverse("admin:core_notificationdelivery_changelist")).content.decode()
    assert "本社区的提醒" in page and "别的社区的提醒" not in page
    other = NotificationDelivery.objects.get(notification__recipient=theirs)
    assert client.get(reverse("admin:core_notificationdelivery_change", args=[other.pk])).status_code == 404


def test_a_failed_delivery_can_be_sent_again_from_the_admin(client, community, street_admin, settings):
    settings.SMS_SENDER = "tests.notifications.senders.FailingSender"
    NotificationSettings.objects.create(max_attempts=1)
    user = person(community, sms=True)
    notify(recipient=user, key="k", title="重发测试")
    deliver(NotificationDelivery.objects.get().pk, now=NOON)
    assert NotificationDelivery.objects.get().status == "failed"
    client.force_login(street_admin)
    client.post(
        reverse("admin:core_notificationdelivery_changelist"),
        {"action": "send_again", "_selected_action": [NotificationDelivery.objects.get().pk]},
    )
    settings.SMS_SENDER = "tests.notifications.senders.RecordingSender"
    assert NotificationDelivery.objects.get().status == "pending"
    assert send_due_deliveries(now=NOON + datetime.timedelta(minutes=1)) == {"sent": 1}
