"""Writes and transitions of the three lists: resources, needs, projects, claims, pledges, wishes, matches.

Every function takes the acting user as ``by``, checks role and state first, writes inside a
transaction and stamps who and when. Every change of state is a ``Step`` of ``alliance.core.transitions``
declared at the top of its module (the row locked, the state checked, saved, the event sent after
commit). Errors: ValidationError (400), PermissionDenied (403), Conflict (409, a full project, a wish
already claimed). What follows an action elsewhere (notifications, points) hears its event
(``projects.events``): this package imports neither.

One module per topic; the names are re-exported here, so ``from projects import actions`` and
``actions.claim_project(...)`` keep working.
"""

from projects.actions._common import unit_operators
from projects.actions.claims import (
    PERSON_OPEN,
    PERSON_ROLES,
    PHOTO_MAX_BYTES,
    PHOTO_MAX_COUNT,
    PLACE_HOLDING,
    approve_claim,
    claim_project,
    clean_progress_photos,
    complete_claim,
    evaluate_claim,
    reject_claim,
    report_progress,
)
from projects.actions.matches import accept_match, dismiss_match
from projects.actions.needs import close_need, create_need, raise_need_to_committee, street_committee_for
from projects.actions.pledges import add_expenditure, add_pledge, pledged_total, spent_total
from projects.actions.projects import (
    cancel_project,
    complete_project,
    create_project,
    create_project_from_matter,
    publish_project,
)
from projects.actions.reminders import remind_projects_near_deadline, remind_stale_claims
from projects.actions.resources import create_resource, republish_resource, retire_resource
from projects.actions.unit_needs import (
    approve_need,
    decline_need,
    resubmit_unit_need,
    return_need,
    review_unit_need,
    submit_unit_need,
)
from projects.actions.wishes import claim_wish, fulfil_wish, review_wish, submit_wish, thank_wish

__all__ = [
    "submit_unit_need",
    "review_unit_need",
    "return_need",
    "resubmit_unit_need",
    "decline_need",
    "approve_need",
    "PHOTO_MAX_BYTES",
    "PHOTO_MAX_COUNT",
    "PERSON_OPEN",
    "PERSON_ROLES",
    "PLACE_HOLDING",
    "accept_match",
    "add_expenditure",
    "add_pledge",
    "approve_claim",
    "cancel_project",
    "claim_project",
    "claim_wish",
    "clean_progress_photos",
    "close_need",
    "complete_claim",
    "complete_project",
    "create_need",
    "create_project",
    "create_project_from_matter",
    "create_resource",
    "dismiss_match",
    "evaluate_claim",
    "fulfil_wish",
    "pledged_total",
    "publish_project",
    "raise_need_to_committee",
    "reject_claim",
    "remind_projects_near_deadline",
    "remind_stale_claims",
    "report_progress",
    "republish_resource",
    "retire_resource",
    "review_wish",
    "spent_total",
    "street_committee_for",
    "submit_wish",
    "thank_wish",
    "unit_operators",
]
