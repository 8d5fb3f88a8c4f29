"""Writes of the members app: registration, password reset, profiles, accounts, imports."""

import logging

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alliance.core.admin_base import is_admin_user
from alliance.core.photos import clean_photo
from alliance.core.scoping import in_scope
from alliance.core.senders import get_sender
from alliance.core.validators import MOBILE_RE, normalize_phone, validate_mobile, validate_phone
from grids.models import GridNode
from members import codes
from members.actions.pairings import (  # re-exported: ``actions.create_pairing(...)``
    add_commitment,  # noqa: F401
    attach_agreement,  # noqa: F401
    create_pairing,  # noqa: F401
    expire_pairings,  # noqa: F401
    may_record_service,  # noqa: F401
    record_service,  # noqa: F401
    remind_expiring_pairings,  # noqa: F401
    review_pairing,  # noqa: F401
    terminate_pairing,  # noqa: F401
)
from members.models import MemberUnit, PhoneCode, User

# Registration and password reset never say whether a number is registered: the SMS does.
CODE_INVALID = _("验证码错误或已失效，请重新获取。")
REGISTER_REFUSED = _("该手机号码无法注册。如果您已有账号，请直接登录，或通过“忘记密码”重新设置密码。")

log = logging.getLogger(__name__)


def _send_sms(phone: str, body: str, url: str = "", *, kind: str, params: dict | None = None) -> None:
    """Send one text message; a gateway failure is logged, never shown (the page says the same anyway).

    ``kind`` picks the provider's template (settings.SMS_TEMPLATES), ``params`` fills it (code, minutes)."""
    try:
        get_sender("sms").send(address=phone, title=str(_("红色联盟")), body=body, url=url, kind=kind, params=params)
    except Exception:  # the answer to the visitor must not depend on the gateway
        log.warning("SMS code to %s not sent", phone[:3] + "****" + phone[-4:], exc_info=True)


def _valid_mobile(phone: str) -> str:
    phone = normalize_phone(phone)
    try:
        validate_mobile(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from None
    return phone


def _account_of(phone: str) -> User | None:
    return User.objects.filter(Q(phone=phone) | Q(username=phone)).order_by("pk").first()


def request_register_code(*, phone: str, client_address: str = "", now=None) -> str:
    """Text a registration code to ``phone``; a number already registered is told so by the SMS instead.

    Returns the normalised number. Raises ``members.codes.TooManyCodes`` over the limits.
    """
    phone = _valid_mobile(phone)
    code = codes.issue(phone=phone, purpose=PhoneCode.Purpose.REGISTER, client_address=client_address, now=now)
    minutes = getattr(settings, "SMS_CODE_TTL_MINUTES", 10)
    if _account_of(phone) is not None:
        _send_sms(
            phone,
            str(
                _(
                    "该手机号码已注册红色联盟账号，无需重新注册。如忘记密码，请在登录页点击“忘记密码”，用短信验证码重新设置。"
                )
            ),
            reverse("password_reset"),
            kind="code:registered",
        )
    else:
        _send_sms(
            phone,
            str(_("您的注册验证码是 %(code)s，%(m)d 分钟内有效。请勿告诉他人。") % {"code": code, "m": minutes}),
            kind="code:register",
            params={"code": code, "minutes": minutes},
        )
    return phone


def register_resident(
    *, phone: str, code: str, password: str, display_name: str = "", grid_node: GridNode | None = None, now=None
) -> User:
    """A resident's own account after the number is proven by an SMS code: the mobile number is the login name."""
    phone = normalize_phone(phone)
    errors: dict[str, list] = {}
    try:
        validate_mobile(phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages
    if grid_node is not None and grid_node.level == GridNode.Level.STREET:
        errors["grid_node"] = [_("请选择所在社区或微网格。")]
    user = User(
        username=phone, phone=phone, display_name=display_name.strip(), role=User.Role.RESIDENT, grid_node=grid_node
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = exc.messages
    if errors:
        raise ValidationError(errors)
    # Counted outside the transaction below, so a wrong try stays counted.
    row = codes.check(phone=phone, purpose=PhoneCode.Purpose.REGISTER, code=code, now=now)
    if row is None:
        raise ValidationError({"code": [CODE_INVALID]})
    user.set_password(password)
    try:
        with transaction.atomic():
            if not codes.consume(row, now) or _account_of(phone) is not None:
                raise ValidationError(REGISTER_REFUSED)
            user.save()
    except IntegrityError:  # another request registered the number a moment ago
        raise ValidationError(REGISTER_REFUSED) from None
    return user


def request_password_reset_code(*, phone: str, client_address: str = "", now=None) -> str:
    """Text a reset code to the account registered with ``phone``, if there is one; the same otherwise.

    A code row is written either way, so the limits answer alike. Returns the normalised number.
    """
    phone = _valid_mobile(phone)
    code = codes.issue(phone=phone, purpose=PhoneCode.Purpose.RESET, client_address=client_address, now=now)
    account = User.objects.filter(phone=phone).first()
    if account is not None and account.is_active:
        minutes = getattr(settings, "SMS_CODE_TTL_MINUTES", 10)
        _send_sms(
            phone,
            str(
                _("您正在重新设置红色联盟账号密码，验证码 %(code)s，%(m)d 分钟内有效。如非本人操作，请忽略本短信。")
                % {"code": code, "m": minutes}
            ),
            kind="code:reset",
            params={"code": code, "minutes": minutes},
        )
    return phone


def reset_password(*, phone: str, code: str, password: str, now=None) -> User:
    """A new password for the account of ``phone``, proven by the SMS code; its API tokens end (members.signals)."""
    phone = normalize_phone(phone)
    row = codes.check(phone=phone, purpose=PhoneCode.Purpose.RESET, code=code, now=now)
    account = User.objects.filter(phone=phone).first()
    if row is None or account is None or not account.is_active:
        raise ValidationError({"code": [CODE_INVALID]})
    try:
        validate_password(password, account)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    with transaction.atomic():
        if not codes.consume(row, now):
            raise ValidationError({"code": [CODE_INVALID]})
        account.set_password(password)
        account.save(update_fields=["password"])
        # Whoever proved the number may sign in at once, even after failed logins.
        AccessAttempt.objects.filter(username=account.username).delete()
    return account


_UNCHANGED = object()


def update_profile(
    *, by: User, user: User, display_name: str, phone: str, grid_node: GridNode | None | object = _UNCHANGED
) -> User:
    """A person's own profile: display name, contact phone and (residents, party members) community or micro-grid.

    Staff roles' grid is their scope and stays with the admins. When the login name is the old
    mobile number, it follows the new one.
    """
    if not by.is_authenticated or by.pk != user.pk:
        raise PermissionDenied(_("只能修改自己的个人资料。"))
    errors: dict[str, list] = {}
    display_name = (display_name or "").strip()
    if len(display_name) > (getattr(User._meta.get_field("display_name"), "max_length", None) or 50):
        errors["display_name"] = [_("姓名最多 50 个字。")]
    phone = normalize_phone(phone)
    if phone:
        try:
            validate_phone(phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages
    elif user.username == user.phone and user.phone:
        errors["phone"] = [_("您用手机号码登录，手机号码不能为空。")]
    fields = {"display_name", "phone"}
    if (grid_node is None or isinstance(grid_node, GridNode)) and grid_node != user.grid_node:
        if user.role not in (User.Role.RESIDENT, User.Role.PARTY_MEMBER):
            errors["grid_node"] = [_("工作人员和成员单位联络员的所属网格由管理员设置。")]
        elif grid_node is not None and grid_node.level == GridNode.Level.STREET:
            errors["grid_node"] = [_("请选择所在社区或微网格。")]
        else:
            user.grid_node = grid_node
            fields.add("grid_node")
    taken = _("该号码已被其他账号使用，请换一个号码；如有疑问，请联系社区工作人员。")
    if (
        phone
        and phone != user.phone
        and "phone" not in errors
        and User.objects.filter(Q(phone=phone) | Q(username=phone)).exclude(pk=user.pk).exists()
    ):
        errors["phone"] = [taken]
    if errors:
        raise ValidationError(errors)
    if phone != user.phone and user.phone and user.username == user.phone and MOBILE_RE.match(phone):
        user.username = phone
        fields.add("username")
    user.display_name, user.phone = display_name, phone
    try:
        with transaction.atomic():
            user.save(update_fields=fields)
    except IntegrityError:
        raise ValidationError({"phone": [taken]}) from None
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
        raise ValidationError(gettext("请填写%(label)s。") % {"label": label})
    if limit and len(value) > limit:
        raise ValidationError(gettext("%(label)s不能超过%(limit)d个字。") % {"label": label, "limit": limit})
    return value


@transaction.atomic
def update_unit_profile(*, by, unit, **fields):
    """Change what a unit keeps itself (contacts, address, introduction, logo), with who changed it in the history.

    Naming a field that stays with staff (credit code, kind, grid placement …) is refused field by field,
    so a client never believes it changed something it did not.
    """
    if not can_edit_unit_profile(by, unit):
        raise PermissionDenied(gettext("只能维护本单位的资料。"))
    errors: dict[str, list[str]] = {}
    for name in fields:
        if name in UNIT_STAFF_FIELDS:
            errors[name] = [gettext("该项由街道、社区管理员维护，单位不能修改。")]
        elif name not in UNIT_PROFILE_FIELDS:
            errors[name] = [gettext("不能修改该项。")]
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
                    raise ValidationError(gettext("单位简介不能超过%(limit)d个字。") % {"limit": UNIT_INTRODUCTION_MAX})
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


@transaction.atomic
def set_unit_status(*, by, unit, status: str):
    """Staff of the unit's grid suspend a member unit or make it active again (one save: its history says who)."""
    if not (is_admin_user(by) and in_scope(unit, by)):
        raise PermissionDenied(gettext("只有本街道、社区的管理员可以变更成员单位状态。"))
    if status not in MemberUnit.Status.values:
        raise ValidationError({"status": gettext("状态不正确。")})
    unit = MemberUnit.objects.select_for_update().get(pk=unit.pk)
    if unit.status != status:
        unit.status = status
        unit.save(update_fields=["status"])
    return unit
