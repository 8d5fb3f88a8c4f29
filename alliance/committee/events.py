"""Domain events of the joint committee (alliance.core.events): sent after commit by its actions, heard by the apps above it."""

from alliance.core.events import Signal

# Every signal is sent with ``instance`` (the row, after the change) and ``by`` (the acting user, or None for a job).
matter_handed_on = Signal()  # projects: a resolved matter becomes a project (create_project_from_matter)
matter_resolved = Signal()
meeting_scheduled = Signal()
meeting_cancelled = Signal()
