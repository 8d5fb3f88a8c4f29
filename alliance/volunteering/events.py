"""What dual reporting tells the apps above it (and its own receivers): sent after commit with ``instance``, ``by``."""

from django.dispatch import Signal

dual_report_submitted = Signal()  # submitted or resubmitted: the community admins hear it
dual_report_confirmed = Signal()
dual_report_returned = Signal()
