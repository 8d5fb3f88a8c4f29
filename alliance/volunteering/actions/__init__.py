"""Every write of dual reporting (re-exported by topic)."""

from alliance.volunteering.actions.feedback import evaluate_sheet, issue_sheet, issue_sheets
from alliance.volunteering.actions.reminders import WAITING_DAYS, remind_idle_members, remind_waiting_reports
from alliance.volunteering.actions.reports import (
    can_decide,
    can_report,
    confirm_report,
    resubmit_report,
    return_report,
    submit_report,
)

__all__ = [
    "WAITING_DAYS",
    "can_decide",
    "can_report",
    "confirm_report",
    "evaluate_sheet",
    "issue_sheet",
    "issue_sheets",
    "remind_idle_members",
    "remind_waiting_reports",
    "resubmit_report",
    "return_report",
    "submit_report",
]
