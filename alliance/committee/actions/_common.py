"""Who may do what in the joint committee, and the seats current on a day: shared by every action module."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from alliance.committee.models import Committee, Invitation, Seat
from alliance.core.scoping import in_scope
from alliance.core.transitions import Step, lock


def can_manage(user, committee: Committee) -> bool:
    """Street/community admins inside the committee's subtree, and superusers."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or (user.is_admin_role and in_scope(committee, user))


def require_manager(by, committee: Committee) -> None:
    if not can_manage(by, committee):
        raise PermissionDenied(_("您无权管理该委员会的事务。"))


def can_answer(user, invitation: Invitation) -> bool:
    """The invited seat's own account, the operator of the invited unit, or a manager."""
    if not user.is_authenticated:
        return False
    if invitation.seat is not None and invitation.seat.user_id == user.pk:
        return True
    if user.role == user.Role.UNIT_OPERATOR and user.unit_id and invitation_unit_id(invitation) == user.unit_id:
        return True
    return can_manage(user, invitation.meeting.committee)


def invitation_unit_id(invitation: Invitation) -> int | None:
    return invitation.unit_id or (invitation.seat.unit_id if invitation.seat is not None else None)


def current_seats(committee: Committee, on: datetime.date):
    return Seat.objects.filter(committee=committee, term_start__lte=on).filter(
        models.Q(term_end__isnull=True) | models.Q(term_end__gte=on)
    )


def transition_with_text(step: Step, obj, *, by, text: str, field: str, missing: dict):
    """``step`` keeping a text the person must give (a resolution, a reason) in ``field``.

    The state is checked on the locked row before the text, so a refusal names the state first;
    ``missing`` is the error of an empty text."""
    with transaction.atomic():
        obj = lock(obj)
        if obj.status not in step.sources:
            raise ValidationError(step.message(obj))
        if not (text or "").strip():
            raise ValidationError(missing)
        return step.run(obj, by=by, fields={field: text.strip()})
