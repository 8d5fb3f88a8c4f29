"""Domain events of projects (alliance.core.events): sent after commit by its actions, heard by the apps above it
and by projects.handlers (the notifications that follow an action)."""

from alliance.core.events import Signal

# Every signal is sent with ``instance`` (the row, after the change) and ``by`` (the acting user, or None for a job).
claim_submitted = Signal()
claim_approved = Signal()  # projects.handlers: the unit's operators are told
claim_rejected = Signal()  # projects.handlers: the unit's operators are told (with the decision note)
claim_completed = Signal()  # points: the unit's points for completed work
claim_evaluated = Signal()  # points: the evaluation's points
wish_claimed = Signal()
wish_fulfilled = Signal()  # projects.handlers: the resident is told
match_accepted = Signal()  # projects.handlers: the invited unit's operators (or the party member) are told
need_submitted = Signal()  # projects.handlers: the admins of the need's grid are told a unit's need waits (派单)
need_reviewed = Signal()  # projects.handlers: the unit's operators are told (approved, returned or declined, why)
