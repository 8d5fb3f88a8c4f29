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
issue_moved = Signal()  # also ``text``: the reply written on the step (sent to the reporter at feedback)
issue_escalated = Signal()  # also ``reason``: why it went up (empty for the default)
issue_published = Signal()  # on the public board (说事墙): its text, place and stage
issue_taken_down = Signal()  # off the board by staff (``takedown_reason`` on the row): told to the reporter
issue_rated = Signal()  # status "handling" after it: 1–2 stars reopened it
signup_checked_in = Signal()  # points: a check-in at an activity (instance is the ActivitySignup)
activity_cancelled = Signal()  # also ``reason``: told to everyone signed up
booking_confirmed = Signal()  # a pending booking confirmed by the room's owners: told to the resident
booking_declined = Signal()  # a pending booking declined (``decline_reason`` on the row): told to the resident
