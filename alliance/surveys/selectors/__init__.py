"""The reads of alliance.surveys, by topic (re-exported here)."""

from alliance.surveys.selectors.surveys import (
    answerable,
    person_nodes,
    person_roles,
    poll_tallies,
    published,
    published_feed,
    results,
    staff_surveys,
    surveys_for,
)

__all__ = [
    "answerable",
    "person_nodes",
    "person_roles",
    "poll_tallies",
    "published",
    "published_feed",
    "results",
    "staff_surveys",
    "surveys_for",
]
