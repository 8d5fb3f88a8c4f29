"""Writes and transitions of the joint committee, by topic: who may do what (``_common``), matters,
meetings and invitations, milestones and their supervision (督办), the chair rotation, reminders and the deliberation day.

Every public name is re-exported here: ``from alliance.committee import actions; actions.study_matter(...)``."""

from alliance.committee.actions._common import can_answer, can_manage, current_seats, invitation_unit_id
from alliance.committee.actions.matters import (
    defer_matter,
    follow_up,
    hand_on_matter,
    raise_matter,
    raise_residents_matter,
    resolve_matter,
    study_matter,
    update_follow_up,
)
from alliance.committee.actions.meetings import (
    answer_invitation,
    cancel_meeting,
    check_in,
    hold_meeting,
    invite_seats,
    invite_unit,
    put_on_agenda,
    record_minutes,
    schedule_meeting,
)
from alliance.committee.actions.milestones import (
    add_milestone,
    complete_milestone,
    edit_milestone,
    remind_overdue_milestone,
    remind_overdue_milestones,
)
from alliance.committee.actions.reminders import (
    deliberation_date,
    meetings_tomorrow,
    remind_meeting_day_before,
    remind_meetings_day_before,
    remind_missing_minutes,
    run_deliberation_day,
)
from alliance.committee.actions.rotations import add_months, generate_rotation

__all__ = [
    "add_milestone",
    "add_months",
    "answer_invitation",
    "can_answer",
    "can_manage",
    "cancel_meeting",
    "check_in",
    "complete_milestone",
    "current_seats",
    "defer_matter",
    "deliberation_date",
    "edit_milestone",
    "follow_up",
    "generate_rotation",
    "hand_on_matter",
    "hold_meeting",
    "invitation_unit_id",
    "invite_seats",
    "invite_unit",
    "meetings_tomorrow",
    "put_on_agenda",
    "raise_matter",
    "raise_residents_matter",
    "record_minutes",
    "remind_meeting_day_before",
    "remind_meetings_day_before",
    "remind_missing_minutes",
    "remind_overdue_milestone",
    "remind_overdue_milestones",
    "resolve_matter",
    "run_deliberation_day",
    "schedule_meeting",
    "study_matter",
    "update_follow_up",
]
