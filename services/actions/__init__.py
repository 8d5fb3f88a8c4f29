"""Writes and transitions of residents' services, one module per topic.

Every action is keyword-only, takes the acting user as ``by`` and an optional ``now`` (so jobs and
tests can move the clock), checks role and state first, and moves a row with a ``Step`` of
``alliance.core.transitions`` declared in its module (row lock, who and when, timeline, event after commit).
What follows a step (notices, points) hears the events of services.events.

    from services import actions
    actions.accept_order(by=operator, order=order)
"""

from services.actions._common import is_staff_in_scope
from services.actions.activities import (
    ACTIVITY_FIELDS,
    can_check_in,
    cancel_activity,
    cancel_signup,
    check_in,
    check_in_person,
    create_activity,
    is_organiser,
    sign_up,
)
from services.actions.board import ME_TOO_OPEN, can_me_too, me_too, publish_issue, take_down_issue
from services.actions.bookings import book_room, can_decide, cancel_booking, confirm_booking, decline_booking
from services.actions.issues import (
    LEVEL_OF_NODE,
    escalate_issue,
    move_issue,
    raise_issue_as_matter,
    rate_issue,
    report_issue,
)
from services.actions.menu import MENU_FIELDS, save_menu_item
from services.actions.orders import (
    accept_order,
    cancel_order,
    confirm_delivery,
    decline_order,
    deliver_order,
    rate_order,
    serve_order,
    submit_order,
)
from services.actions.recurring import (
    RULE_FIELDS,
    can_edit_rule,
    generate_occurrences,
    occurrence_dates,
    save_recurring_service,
)
from services.actions.reminders import (
    SWEEP_BATCH,
    SWEEP_CHUNK,
    chunks,
    due_unaccepted_orders,
    due_unconfirmed_deliveries,
    escalate_overdue_issues,
    remind_activities_day_before,
    remind_unaccepted_orders,
    remind_unconfirmed_deliveries,
)
from services.actions.unit_activities import (
    MAX_UNIT_POINTS,
    UNIT_ACTIVITY_FIELDS,
    create_unit_activity,
    update_unit_activity,
)
from services.selectors import community_confirmers

__all__ = [
    "ACTIVITY_FIELDS",
    "LEVEL_OF_NODE",
    "MAX_UNIT_POINTS",
    "ME_TOO_OPEN",
    "MENU_FIELDS",
    "RULE_FIELDS",
    "SWEEP_BATCH",
    "UNIT_ACTIVITY_FIELDS",
    "accept_order",
    "book_room",
    "can_check_in",
    "can_decide",
    "can_edit_rule",
    "can_me_too",
    "cancel_activity",
    "cancel_booking",
    "cancel_order",
    "cancel_signup",
    "check_in",
    "check_in_person",
    "community_confirmers",
    "confirm_booking",
    "confirm_delivery",
    "create_activity",
    "create_unit_activity",
    "decline_booking",
    "decline_order",
    "deliver_order",
    "escalate_issue",
    "escalate_overdue_issues",
    "generate_occurrences",
    "is_organiser",
    "is_staff_in_scope",
    "me_too",
    "move_issue",
    "occurrence_dates",
    "publish_issue",
    "raise_issue_as_matter",
    "rate_issue",
    "rate_order",
    "SWEEP_CHUNK",
    "chunks",
    "due_unaccepted_orders",
    "due_unconfirmed_deliveries",
    "remind_activities_day_before",
    "remind_unaccepted_orders",
    "remind_unconfirmed_deliveries",
    "report_issue",
    "save_menu_item",
    "save_recurring_service",
    "serve_order",
    "sign_up",
    "submit_order",
    "take_down_issue",
    "update_unit_activity",
]
