"""Thin Celery tasks of the surveys: the beat job closing surveys past their window."""

from celery import shared_task

from alliance.surveys import actions


@shared_task(name="surveys.close_due_surveys")
def close_due_surveys_task() -> int:
    return actions.close_due_surveys()
