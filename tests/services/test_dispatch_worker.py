"""派单 with a real worker: what a resident submits reaches the person who handles it, in the inbox and through each
channel they chose, within seconds, exactly once."""

import time

import pytest
from django.urls import reverse
from django.utils import timezone

from alliance.committee.models import JobRun
from alliance.core.models import Notification, NotificationDelivery, NotificationPreference, NotificationSettings
from tests.grids.factories import CommunityFactory, MicroGridFactory, StreetFactory
from tests.members.factories import (
    CommunityAdminFactory,
    GridWorkerFactory,
    MemberUnitFactory,
    ResidentFactory,
    UnitOperatorFactory,
)
from tests.notifications.senders import FileRecordingSender
from tests.services.factories import MenuItemFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

SENDER = "tests.notifications.senders.FileRecordingSender"


@pytest.fixture
def sent(request, monkeypatch, tmp_path, settings):
    """A real worker whose SMS and WeChat senders (settings, read from its environment) record to a file."""
    path = tmp_path / "sent.jsonl"
    for name in ("SMS_SENDER", "WECHAT_SENDER"):
        monkeypatch.setenv(name, SENDER)
        setattr(settings, name, SENDER)
    monkeypatch.setenv("RECORDING_SENDER_FILE", str(path))
    request.getfixturevalue("celery_worker")
    return path


@pytest.fixture
def place(db):
    community = CommunityFactory(parent=StreetFactory(name="舜玉路街道"), name="舜园社区")
    NotificationSettings.objects.create(quiet_start="00:00", quiet_end="00:00")  # no quiet hours, whenever it runs
    return community, MicroGridFactory(parent=community, name="舜园3号楼微网格")


def reachable(user, phone, openid):
    user.phone = phone
    user.save(update_fields=["phone"])
    NotificationPreference.objects.create(user=user, sms=True, wechat=True, wechat_openid=openid)
    return user


def wait_for(path, count, seconds=15.0):
    """What the senders recorded, once ``count`` messages went out (or the time is up)."""
    deadline = time.monotonic() + seconds
    while len(FileRecordingSender.read(path)) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    return FileRecordingSender.read(path)


def settled(user, seconds=10.0):
    """The person's deliveries once the worker has marked them (the message goes out just before the row commits)."""
    deliveries = NotificationDelivery.objects.filter(notification__recipient=user)
    deadline = time.monotonic() + seconds
    while deliveries.filter(status="pending").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    return sorted(deliveries.values_list("channel", "status", "attempts"))


def sweep_finds_nothing(path, before):
    """The periodic sweep runs and sends nothing more: every message went out exactly once."""
    from alliance.celery import app

    app.send_task("services.send_due_notifications", kwargs={"now": timezone.now().isoformat()})
    deadline = time.monotonic() + 20
    while not JobRun.objects.filter(task_name="services.send_due_notifications", status="SUCCESS").exists():
        assert time.monotonic() < deadline, "the sweep did not run"
        time.sleep(0.2)
    assert JobRun.objects.get(task_name="services.send_due_notifications").result == "{}"
    assert FileRecordingSender.read(path) == before


def test_a_residents_order_reaches_the_units_operator_within_seconds_exactly_once(client, sent, place):
    community, micro = place
    unit = MemberUnitFactory(grid_node=community, name="历下区人民医院")
    operator = reachable(UnitOperatorFactory(unit=unit, grid_node=community), "13800001111", "o-operator")
    item = MenuItemFactory(provider_unit=unit, grid_scope=community, title="上门测血压")
    resident = ResidentFactory(grid_node=micro, display_name="王阿姨", phone="13912345678")
    client.force_login(resident)

    started = time.monotonic()
    response = client.post(reverse("services:menu_item", args=[item.pk]), {"address": "3号楼2单元501"})
    assert response.status_code == 302
    messages = wait_for(sent, 2)
    elapsed = time.monotonic() - started

    title = "新的点单：王阿姨预约了“上门测血压”"
    assert sorted((m["channel"], m["address"], m["title"]) for m in messages) == [
        ("sms", "13800001111", title),
        ("wechat", "o-operator", title),
    ]
    assert elapsed < 10, f"the operator heard of the order after {elapsed:.1f} s"
    assert "13912345678" not in str(messages)
    assert list(Notification.objects.filter(recipient=operator).values_list("title", flat=True)) == [title]
    assert settled(operator) == [("sms", "sent", 1), ("wechat", "sent", 1)]
    assert not Notification.objects.exclude(recipient=operator).exists()  # nobody else was told
    sweep_finds_nothing(sent, messages)


def test_a_residents_issue_reaches_the_micro_grids_worker_within_seconds_exactly_once(client, sent, place):
    community, micro = place
    worker = reachable(GridWorkerFactory(grid_node=micro, display_name="赵网格员"), "13800002222", "o-worker")
    community_worker = reachable(GridWorkerFactory(grid_node=community), "13800003333", "o-community")
    CommunityAdminFactory(grid_node=community)
    resident = ResidentFactory(grid_node=micro, display_name="张先生")
    client.force_login(resident)

    started = time.monotonic()
    response = client.post(
        reverse("services:issue_new"),
        {"title": "楼道堆放杂物", "text": "3号楼2单元楼道堆放杂物。", "grid_node": micro.pk, "location": "3号楼2单元"},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    messages = wait_for(sent, 2)
    elapsed = time.monotonic() - started

    title = "新的居民说事：张先生反映“楼道堆放杂物”"
    assert sorted((m["channel"], m["address"], m["title"]) for m in messages) == [
        ("sms", "13800002222", title),
        ("wechat", "o-worker", title),
    ]
    assert elapsed < 10, f"the grid worker heard of the issue after {elapsed:.1f} s"
    assert Notification.objects.filter(recipient=worker).count() == 1
    assert settled(worker) == [("sms", "sent", 1), ("wechat", "sent", 1)]
    assert not Notification.objects.filter(recipient=community_worker).exists()
    sweep_finds_nothing(sent, messages)
