"""What the services actions share: the clock, the login and phone checks, ratings and the scope check."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.core.scoping import is_staff_in_scope
from alliance.core.validators import normalize_phone, validate_phone, whole_number

__all__ = ["is_staff_in_scope"]  # re-exported: callers (alliance.demo) know it as services.actions.is_staff_in_scope


def _now(now):
    return now or timezone.now()


def _require_login(by):
    if by is None or not by.is_authenticated:
        raise PermissionDenied(_("请先登录。"))


def _contact_phone(value: str, by) -> str:
    """The contact phone given (checked like every phone), or the account's own."""
    value = (value or "").strip()
    if not value:
        return by.phone or ""
    try:
        validate_phone(value)
    except ValidationError as exc:
        raise ValidationError({"contact_phone": exc.messages}) from exc
    return normalize_phone(value)


def _rating(value) -> int:
    return whole_number(
        value, 1, 5, field="rating", message=_("评分须在1–5星之间。"), not_a_number=_("请给出1–5星的评分。")
    )
