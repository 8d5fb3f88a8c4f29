"""Writes of the members app: registration, accounts, imports."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
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
