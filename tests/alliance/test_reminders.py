"""Reminders: the day before a meeting, the monthly deliberation day, minutes still missing after the meeting."""

import datetime

import pytest
from django.utils import timezone

from alliance.committee import actions
from alliance.committee.models import CommitteeSettings, Invitation, Meeting
from alliance.committee.tasks import remind_meetings_day_before_task
from alliance.core.models import Notification
from tests.alliance.factories import CommitteeFactory, MeetingFactory, SeatFactory
from tests.grids.factories import StreetFactory
from tests.members.factories import UserFactory

TZ = timezone.get_current_timezone()


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=TZ)


def meeting_tomorrow(committee, today):
    return actions.schedule_meeting(
        by=None, committee=committee, title="联席会议", starts_at=at(today + datetime.timedelta(days=1))
    )


def test_the_day_before_each_seat_with_an_account_is_reminded_once(committee, unit, unit_operator, other_unit):
    # Given two seats with accounts, one without, and a unit invited as a whole
    today = timezone.localdate()
    with_account = [SeatFactory(committee=committee, user=UserFactory()) for _ in range(2)]
    SeatFactory(committee=committee, user=None)
    meeting = meeting_tomorrow(committee, today)
    Invitation.objects.create(meeting=meeting, unit=unit)
    MeetingFactory(committee=committee, starts_at=at(today + datetime.timedelta(days=2)))  # not tomorrow
    # When the job runs twice
    first = actions.remind_meetings_day_before(today=today)
    second = actions.remind_meetings_day_before(today=today)
    # Then each seat with an account and the invited unit's operator got one reminder, and nothing more
    assert (first, second) == (3, 0)
    keys = set(Notification.objects.values_list("recipient_id", "key"))
    assert keys == {
        *((s.user_id, f"meeting:{meeting.pk}:day-before:seat:{s.pk}") for s in with_account),
        (unit_operator.pk, f"meeting:{meeting.pk}:day-before:unit:{unit.pk}"),
    }
    assert Notification.objects.filter(title__startswith="明天召开").count() == 3


def test_a_cancelled_meeting_sends_no_reminder(committee):
    today = timezone.localdate()
    SeatFactory(committee=committee, user=UserFactory())
    meeting = meeting_tomorrow(committee, today)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    assert actions.remind_meetings_day_before(today=today) == 0


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_running_the_reminder_twice_sends_it_once(celery_worker):
    # Given a committed meeting tomorrow with two seats that have accounts
    today = timezone.localdate()
    committee = CommitteeFactory(grid_node=StreetFactory())
    seats = [SeatFactory(committee=committee, user=UserFactory()) for _ in range(2)]
    meeting = meeting_tomorrow(committee, today)
    # When the task is sent twice to the real worker
    results = [remind_meetings_day_before_task.apply_async(ignore_result=False) for _ in range(2)]
    answers = sorted(r.get(timeout=30) for r in results)
    # Then the two runs together sent each seat exactly one reminder
    assert answers == [0, 2]
    assert sorted(Notification.objects.values_list("key", flat=True)) == sorted(
        f"meeting:{meeting.pk}:day-before:seat:{s.pk}" for s in seats
    )


def test_the_deliberation_day_creates_the_months_meeting_once_and_reminds_on_the_day(committee):
    # Given a committee that deliberates monthly, on the 25th by default
    committee.holds_monthly_deliberation = True
    committee.save()
    seat = SeatFactory(committee=committee, user=UserFactory())
    CommitteeFactory(grid_node=committee.grid_node, holds_monthly_deliberation=False)
    # When the job runs early in the month, twice
    assert actions.run_deliberation_day(today=datetime.date(2026, 3, 2)) == {"created": 1, "reminded": 0}
    assert actions.run_deliberation_day(today=datetime.date(2026, 3, 2)) == {"created": 0, "reminded": 0}
    meeting = Meeting.objects.get()
    assert timezone.localtime(meeting.starts_at) == at(datetime.date(2026, 3, 25))
    assert meeting.invitations.get().seat == seat
    # And on the day itself, twice
    assert actions.run_deliberation_day(today=datetime.date(2026, 3, 25)) == {"created": 0, "reminded": 1}
    assert actions.run_deliberation_day(today=datetime.date(2026, 3, 25)) == {"created": 0, "reminded": 0}
    assert Notification.objects.get().key == f"meeting:{meeting.pk}:deliberation-day:seat:{seat.pk}"
    # After the day nothing new is created for the month
    assert actions.run_deliberation_day(today=datetime.date(2026, 3, 27)) == {"created": 0, "reminded": 0}
    assert Meeting.objects.count() == 1


def test_the_deliberation_day_is_set_in_the_admin_settings_and_clamped_to_the_month(committee):
    committee.holds_monthly_deliberation = True
    committee.save()
    config = CommitteeSettings.load()
    config.deliberation_day = 31
    config.save()
    actions.run_deliberation_day(today=datetime.date(2026, 2, 10))
    assert timezone.localtime(Meeting.objects.get().starts_at).date() == datetime.date(2026, 2, 28)


def test_missing_minutes_remind_the_secretary_at_three_and_seven_days(committee, secretary):
    held_on = datetime.date(2026, 5, 4)
    meeting = MeetingFactory(
        committee=committee, starts_at=at(held_on), status=Meeting.Status.HELD, held_at=at(held_on, 11)
    )
    with_minutes = MeetingFactory(
        committee=committee, starts_at=at(held_on), status=Meeting.Status.HELD, held_at=at(held_on, 11), minutes="纪要"
    )
    SeatFactory(committee=committee, user=UserFactory())  # not the secretary
    for day, expected in ((6, 0), (7, 1), (8, 0), (10, 0), (11, 1), (12, 0), (30, 0)):
        assert actions.remind_missing_minutes(today=datetime.date(2026, 5, day)) == expected, day
    assert sorted(Notification.objects.values_list("recipient_id", "key")) == [
        (secretary.user_id, f"meeting:{meeting.pk}:minutes-missing:3d"),
        (secretary.user_id, f"meeting:{meeting.pk}:minutes-missing:7d"),
    ]
    assert with_minutes.pk not in {int(k.split(":")[1]) for k in Notification.objects.values_list("key", flat=True)}


@pytest.mark.django_db(transaction=True)
def test_two_deliberation_day_runs_at_once_create_one_meeting():
    import threading

    from django.db import connections

    committee = CommitteeFactory(grid_node=StreetFactory(), holds_monthly_deliberation=True)
    SeatFactory(committee=committee, user=UserFactory())
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(actions.run_deliberation_day(today=datetime.date(2026, 4, 25)))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Meeting.objects.filter(committee=committee).count() == 1
    assert sum(r["created"] for r in results) == 1
    assert sum(r["reminded"] for r in results) == 1
    assert Notification.objects.count() == 1


def test_a_meeting_scheduled_for_later_today_is_reminded_too(committee):
    today = datetime.date(2026, 6, 10)
    seat = SeatFactory(committee=committee, user=UserFactory())
    later_today = actions.schedule_meeting(by=None, committee=committee, title="临时会议", starts_at=at(today, 15))
    assert actions.remind_meetings_day_before(today=today) == 1
    assert Notification.objects.get().key == f"meeting:{later_today.pk}:day-before:seat:{seat.pk}"


def test_every_default_schedule_names_a_registered_task(db):
    from alliance.celery import app
    from alliance.committee.schedules import DEFAULT_SCHEDULES

    app.loader.import_default_modules()
    assert {entry["task"] for entry in DEFAULT_SCHEDULES} <= set(app.tasks)
    assert len(DEFAULT_SCHEDULES) == 4
