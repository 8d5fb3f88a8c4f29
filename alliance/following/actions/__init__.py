"""Every write of alliance.following: follows (follows.py) and digests (digests.py)."""

from alliance.following.actions.digests import period_of, prepare_digests, send_digest, send_digests
from alliance.following.actions.follows import (
    FOLLOWABLE_LEVELS,
    can_follow,
    clean_topics,
    follow,
    unfollow,
    update_follow,
)

__all__ = [
    "FOLLOWABLE_LEVELS",
    "can_follow",
    "clean_topics",
    "follow",
    "period_of",
    "prepare_digests",
    "send_digest",
    "send_digests",
    "unfollow",
    "update_follow",
]
