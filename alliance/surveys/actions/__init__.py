"""Every write of alliance.surveys (re-exported by topic)."""

from alliance.surveys.actions.selections import (
    add_candidate,
    cast_vote,
    close_expired_selections,
    close_voting,
    create_selection,
    open_voting,
    publish_results,
    remove_candidate,
    update_candidate,
    update_selection,
    vote_refusal,
)

__all__ = [
    "add_candidate",
    "cast_vote",
    "close_expired_selections",
    "close_voting",
    "create_selection",
    "open_voting",
    "publish_results",
    "remove_candidate",
    "update_candidate",
    "update_selection",
    "vote_refusal",
]
