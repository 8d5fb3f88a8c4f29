"""Admins of alliance.surveys, by topic."""

from alliance.surveys import selection_admin, survey_admin  # noqa: F401 - register the questionnaires' and selections' admins
