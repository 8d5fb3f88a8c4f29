"""Admins of alliance.surveys, by topic."""

from alliance.surveys import survey_admin  # noqa: F401 - registers the questionnaires' admins
