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


# ---------------------------------------------------------------------------
# A unit's own profile (spec §1: unit operators keep their unit's profile).
# ---------------------------------------------------------------------------

# What a unit keeps itself; the credit code, kind, status, star rating and grid placement stay with staff.
UNIT_PROFILE_FIELDS = ("contact_name", "contact_phone", "address", "introduction", "logo")
UNIT_STAFF_FIELDS = ("name", "kind", "credit_code", "grid_node", "joined_on", "status", "star_rating")
UNIT_INTRODUCTION_MAX = 2000
UNIT_LOGO_MAX_BYTES = 2 * 1024 * 1024


def can_edit_unit_profile(user, unit) -> bool:
    """The unit's own operator, or a street/community admin whose subtree holds the unit."""
    from alliance.admin_base import is_admin_user
    from alliance.scoping import in_scope

    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.role == User.Role.UNIT_OPERATOR:
        return user.unit_id == unit.pk
    return is_admin_user(user) and in_scope(unit, user)


def _one_line(unit_model, name: str, value, *, required: bool = False) -> str:
    value = " ".join(str(value or "").split())
    limit = unit_model._meta.get_field(name).max_length
    label = unit_model._meta.get_field(name).verbose_name
    if required and not value:
        raise ValidationError(f"请填写{label}。")
    if limit and len(value) > limit:
        raise ValidationError(f"{label}不能超过{limit}个字。")
    return value


@transaction.atomic
def update_unit_profile(*, by, unit, **fields):
    """Change what a unit keeps itself (contacts, address, introduction, logo), with who changed it in the history.

    Naming a field that stays with staff (credit code, kind, grid placement …) is refused field by field,
    so a client never believes it changed something it did not.
    """
    from django.core.exceptions import PermissionDenied

    from alliance.validators import validate_phone
    from members.models import MemberUnit
    from services.photos import clean_photo

    if not can_edit_unit_profile(by, unit):
        raise PermissionDenied("只能维护本单位的资料。")
    errors: dict[str, list[str]] = {}
    for name in fields:
        if name in UNIT_STAFF_FIELDS:
            errors[name] = ["该项由街道、社区管理员维护，单位不能修改。"]
        elif name not in UNIT_PROFILE_FIELDS:
            errors[name] = ["不能修改该项。"]
    unit = MemberUnit.objects.select_for_update().get(pk=unit.pk)
    changes = {}
    for name, value in fields.items():
        if name in errors:
            continue
        try:
            if name == "contact_name":
                changes[name] = _one_line(MemberUnit, name, value, required=True)
            elif name == "address":
                changes[name] = _one_line(MemberUnit, name, value)
            elif name == "contact_phone":
                phone = normalize_phone(_one_line(MemberUnit, name, value, required=True))
                validate_phone(phone)
                changes[name] = phone
            elif name == "introduction":
                text = "\n".join(line.rstrip() for line in str(value or "").replace("\r\n", "\n").split("\n")).strip()
                if len(text) > UNIT_INTRODUCTION_MAX:
                    raise ValidationError(f"单位简介不能超过{UNIT_INTRODUCTION_MAX}个字。")
                changes[name] = text
            elif name == "logo":
                changes[name] = clean_photo(value, max_bytes=UNIT_LOGO_MAX_BYTES) if value else ""
        except ValidationError as exc:
            errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)
    changed = []
    for name, value in changes.items():
        if name == "logo":
            if value:
                unit.logo.save(value.name, value, save=False)
            elif unit.logo:
                unit.logo = ""
            else:
                continue
        elif getattr(unit, name) == value:
            continue
        else:
            setattr(unit, name, value)
        changed.append(name)
    if changed:
        unit._history_user = by  # the history says who changed it, from any path (page, API, task)
        unit.save(update_fields=changed)
    return unit
