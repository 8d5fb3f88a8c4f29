"""Resources: what the member units offer (published, retired, published again)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from alliance.core.transitions import Step
from projects.actions._common import (
    _enqueue_matching,
    _require_admin_in_scope,
    _require_not_past,
    _require_operator,
)
from projects.actions.matches import _dismiss_suggestions
from projects.models import Category, Match, Resource

RETIRE = Step(Resource.Status.RETIRED, (Resource.Status.AVAILABLE, Resource.Status.RESERVED), stamp="retired")
REPUBLISH = Step(Resource.Status.AVAILABLE, (Resource.Status.RETIRED,))


def _require_unit_or_admin(by, resource: Resource) -> None:
    if by.role == by.Role.UNIT_OPERATOR:
        _require_operator(by, resource.unit)
    else:
        _require_admin_in_scope(by, resource)


@transaction.atomic
def create_resource(*, by, unit=None, title: str, category: Category, grid_node=None, **fields) -> Resource:
    """A unit publishes a resource (operators for their own unit, admins for any unit in scope)."""
    if by.role == by.Role.UNIT_OPERATOR:
        unit = _require_operator(by, unit or by.unit)
    elif unit is None:
        raise ValidationError({"unit": _("请选择提供单位。")})
    else:
        _require_admin_in_scope(by, unit)
    if not title.strip():
        raise ValidationError({"title": _("请填写资源名称。")})
    if fields.get("quantity") is not None and fields["quantity"] < 1:
        raise ValidationError({"quantity": _("数量至少为 1。")})
    _require_not_past(fields.get("available_until"), "available_until", _("有效期不能早于今天。"))
    resource = Resource(
        unit=unit,
        title=title.strip(),
        category=category,
        grid_node=grid_node or unit.grid_node,
        created_by=by,
        **fields,
    )
    resource.full_clean()
    resource.save()
    _enqueue_matching(resource_id=resource.pk)
    return resource


@transaction.atomic
def retire_resource(*, by, resource: Resource) -> Resource:
    _require_unit_or_admin(by, resource)
    if RETIRE.advance(resource, by=by):
        _dismiss_suggestions(Match.objects.filter(resource=resource), by=by, now=resource.retired_at)
    return resource  # a retired resource stays as it is


@transaction.atomic
def republish_resource(*, by, resource: Resource) -> Resource:
    _require_unit_or_admin(by, resource)
    if REPUBLISH.advance(resource, by=by, fields={"retired_at": None}):
        _enqueue_matching(resource_id=resource.pk)
    return resource  # a resource that is not retired stays as it is
