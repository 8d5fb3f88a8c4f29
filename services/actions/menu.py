"""The menu (服务菜单): a unit publishes and withdraws its own service items."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members.models import User
from services.models import MenuItem

MENU_FIELDS = ("title", "category", "description", "grid_scope", "availability", "capacity_per_day", "is_active")


@transaction.atomic
def save_menu_item(*, by, item: MenuItem | None = None, **fields) -> MenuItem:
    """A unit operator publishes or edits one of the unit's menu items (服务菜单)."""
    if by.role != User.Role.UNIT_OPERATOR or not by.unit_id:
        raise PermissionDenied(_("只有成员单位联络员可以发布本单位的服务。"))
    if item is not None and item.provider_unit_id != by.unit_id:
        raise PermissionDenied(_("只能修改本单位的服务。"))
    unknown = set(fields) - set(MENU_FIELDS)
    if unknown:
        raise ValidationError(_("不支持的字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    errors = {}
    scope = fields.get("grid_scope") or (item.grid_scope if item else None)
    unit_node = by.unit.grid_node
    if scope is None:
        errors["grid_scope"] = [_("请选择服务范围。")]
    elif scope.street_id != unit_node.street_id:
        errors["grid_scope"] = [_("服务范围须在本单位所在街道之内。")]
    if "title" in fields and not (fields["title"] or "").strip():
        errors["title"] = [_("请填写服务名称。")]
    if "capacity_per_day" in fields and (fields["capacity_per_day"] or 0) < 1:
        errors["capacity_per_day"] = [_("每日名额至少为1。")]
    if errors:
        raise ValidationError(errors)
    if item is None:
        item = MenuItem(provider_unit=by.unit)
    for name, value in fields.items():
        setattr(item, name, value.strip() if isinstance(value, str) else value)
    item.full_clean()
    item.save()
    return item
