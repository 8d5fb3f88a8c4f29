"""Writes of the members app: registration, accounts, imports."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from alliance.validators import normalize_phone, validate_mobile
from grids.models import GridNode
from members.models import User


@transaction.atomic
def register_resident(*, phone: str, password: str, display_name: str = "", grid_node: GridNode | None = None) -> User:
    """A resident's own account: the mobile number is the login name."""
    phone = normalize_phone(phone)
    errors: dict[str, list] = {}
    try:
        validate_mobile(phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages
    if not errors and User.objects.filter(username=phone).exists():
        errors["phone"] = ["该手机号码已注册,请直接登录。"]
    if grid_node is not None and grid_node.level == GridNode.Level.STREET:
        errors["grid_node"] = ["请选择所在社区或微网格。"]
    user = User(
        username=phone, phone=phone, display_name=display_name.strip(), role=User.Role.RESIDENT, grid_node=grid_node
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = exc.messages
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def set_unit_status(*, by, unit, status: str):
    """Staff of the unit's grid suspend a member unit or make it active again (one save: its history says who)."""
    from alliance.admin_base import is_admin_user
    from alliance.scoping import in_scope
    from members.models import MemberUnit

    if not (is_admin_user(by) and in_scope(unit, by)):
        raise PermissionDenied("只有本街道、社区的管理员可以变更成员单位状态。")
    if status not in MemberUnit.Status.values:
        raise ValidationError({"status": "状态不正确。"})
    unit = MemberUnit.objects.select_for_update().get(pk=unit.pk)
    if unit.status != status:
        unit.status = status
        unit.save(update_fields=["status"])
    return unit
