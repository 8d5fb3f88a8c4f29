"""What the actions of the three lists share: the permission checks, the enqueueing of matching."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.core.enqueue import enqueue_on_commit
from alliance.core.scoping import require_in_scope, sees_all
from members.models import User

NOT_YOURS = gettext_lazy("您无权办理该事项。")


def _require_admin_in_scope(by, obj) -> None:
    """Street/community admins (and superusers) whose subtree holds ``obj`` (a scoped row or a grid node)."""
    if sees_all(by):
        return
    if not (by.is_authenticated and by.role in by.ADMIN_ROLES):
        raise PermissionDenied(NOT_YOURS)
    require_in_scope(by, obj, NOT_YOURS)


def _require_staff_in_scope(by, obj) -> None:
    """Admins and grid workers (and superusers) whose subtree holds ``obj`` (a scoped row or a grid node)."""
    if sees_all(by):
        return
    if not (by.is_authenticated and by.is_staff_role):
        raise PermissionDenied(NOT_YOURS)
    require_in_scope(by, obj, NOT_YOURS)


def _require_operator(by, unit=None):
    if not (by.is_authenticated and by.role == by.Role.UNIT_OPERATOR and by.unit_id):
        raise PermissionDenied(_("只有成员单位联络员可以办理。"))
    if unit is not None and unit.pk != by.unit_id:
        raise PermissionDenied(_("只能办理本单位的事项。"))
    return by.unit


def _require_not_past(day: date | None, field: str, message: str) -> None:
    """A date that must lie ahead (a new record's deadline, wanted-by or validity): today or later."""
    if day is not None and day < timezone.localdate():
        raise ValidationError({field: message})


def unit_operators(unit):
    return list(User.objects.filter(unit=unit, role=User.Role.UNIT_OPERATOR, is_active=True))


def _enqueue_matching(*, need_id=None, resource_id=None) -> None:
    if need_id:
        enqueue_on_commit("projects.match_need", need_id)  # by name: projects.tasks imports the actions
    if resource_id:
        enqueue_on_commit("projects.match_resource", resource_id)
