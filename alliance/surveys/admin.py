"""Admin of alliance.surveys: each part's admin lives in its own module."""

from alliance.surveys import selection_admin  # noqa: F401
