"""Writes and transitions of the joint committee."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from alliance.models import Committee, Matter
from alliance.scoping import in_scope


@transaction.atomic
def raise_matter(
    *, by, committee: Committee, title: str, description: str = "", source: models.Model | None = None, unit=None
) -> Matter:
    """A matter for the committee, from a unit, a community or a source object (a need, a resident issue)."""
    if not title.strip():
        raise ValidationError({"title": "请填写议题名称。"})
    if not (by.is_staff_role and in_scope(committee, by) or by.is_superuser):
        if not (by.role == by.Role.UNIT_OPERATOR and by.unit_id):
            raise PermissionDenied("您无权向该委员会提出议题。")
        unit = by.unit
    matter = Matter(
        committee=committee, title=title.strip(), description=description, raised_by=by, raised_by_unit=unit
    )
    if source is not None:
        matter.source_type = ContentType.objects.get_for_model(source)
        matter.source_id = source.pk
    matter.save()
    return matter
