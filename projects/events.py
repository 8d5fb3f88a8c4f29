"""Domain events of projects (alliance.core.events): sent after commit by its actions, heard by the apps above it."""

from alliance.core.events import Signal

# Every signal is sent with ``instance`` (the row, after the change) and ``by`` (the acting user, or None for a job).
claim_submitted = Signal()
claim_approved = Signal()
claim_rejected = Signal()
claim_completed = Signal()  # points: the unit's points for completed work
claim_evaluated = Signal()  # points: the evaluation's points
wish_claimed = Signal()
wish_fulfilled = Signal()
