from celery import shared_task

from alliance.committee import actions


@shared_task(name="alliance.ping", ignore_result=False, expires=30)
def ping() -> str:
    """Answers the health check: proves a worker takes tasks from the broker."""
    return "pong"


# The reminder tasks are sweeps: each finds what is due by the current state of the rows and
# sends through notify(), whose unique (recipient, key) makes a second run or a retry send nothing.


@shared_task(name="alliance.remind_meetings_day_before", bind=True, max_retries=3, default_retry_delay=60)
def remind_meetings_day_before_task(self) -> int:
    """The day-before reminder of tomorrow's meetings to every seat with an account."""
    return actions.remind_meetings_day_before()


@shared_task(name="alliance.remind_meeting_day_before", bind=True, max_retries=3, default_retry_delay=60)
def remind_meeting_day_before_task(self, meeting_id: int) -> int:
    return actions.remind_meeting_day_before(meeting_id=meeting_id)


@shared_task(name="alliance.deliberation_day", bind=True, max_retries=3, default_retry_delay=60)
def deliberation_day_task(self) -> dict:
    """Creates the month's deliberation-day meetings and, on the day, reminds their seats."""
    return actions.run_deliberation_day()


@shared_task(name="alliance.remind_missing_minutes", bind=True, max_retries=3, default_retry_delay=60)
def remind_missing_minutes_task(self) -> int:
    """Reminds secretaries of held meetings still without minutes (3 and 7 days after, by default)."""
    return actions.remind_missing_minutes()


@shared_task(name="alliance.remind_overdue_milestones", bind=True, max_retries=3, default_retry_delay=60)
def remind_overdue_milestones_task(self) -> int:
    """督办: reminds the owner and the committee's secretary of each overdue milestone, once."""
    return actions.remind_overdue_milestones()
