"""The selections' beat job: voting ends by itself when its window is over (imported by SurveysConfig.ready())."""

from celery import shared_task

from alliance.surveys import actions


@shared_task(name="surveys.close_expired_selections")
def close_expired_selections_task() -> int:
    return actions.close_expired_selections()
