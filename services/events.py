"""Domain events of services (alliance.core.events): sent after commit by its actions, heard by the apps above it."""

from alliance.core.events import Signal

# Every signal is sent with ``instance`` (the row, after the change) and ``by`` (the acting user, or None for a job).
order_submitted = Signal()
order_accepted = Signal()
order_declined = Signal()
order_served = Signal()
order_delivered = Signal()  # points: the serving unit's delivery points
order_rated = Signal()  # points: the rating's points
order_cancelled = Signal()
issue_reported = Signal()
issue_moved = Signal()
issue_escalated = Signal()
issue_rated = Signal()
signup_checked_in = Signal()  # points: a check-in at an activity (instance is the ActivitySignup)
activity_cancelled = Signal()
