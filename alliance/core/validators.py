"""Validators shared by every app, with their messages in Chinese."""

import re

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# Area code 0xx or 0xxx, an optional dash, a 7–8 digit number, an optional extension.
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")

# GB 32100-2015: 18 characters from this alphabet (no I, O, Z, S, V); the last is a check character.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def normalize_phone(value: str) -> str:
    return re.sub(r"[\s()（）]", "", value or "").replace("+86", "", 1)


def validate_mobile(value: str) -> None:
    if not MOBILE_RE.match(normalize_phone(value)):
        raise ValidationError(_("请输入有效的11位中国大陆手机号码，例如 13812345678。"), code="invalid_mobile")


def validate_phone(value: str) -> None:
    """A mainland mobile number or a landline with its area code."""
    phone = normalize_phone(value)
    if not (MOBILE_RE.match(phone) or LANDLINE_RE.match(phone)):
        raise ValidationError(
            _("请输入有效的手机号码（11位）或带区号的固定电话，例如 13812345678 或 0531-82345678。"),
            code="invalid_phone",
        )


def credit_code_check_char(first17: str) -> str:
    total = sum(CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    """统一社会信用代码: 18 characters with a valid check character."""
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValidationError(
            _("统一社会信用代码应为18位，当前为%(n)d位。") % {"n": len(code)}, code="credit_code_length"
        )
    bad = sorted({c for c in code if c not in CREDIT_CODE_ALPHABET})
    if bad:
        raise ValidationError(
            _("统一社会信用代码含有无效字符：%(chars)s（不使用 I、O、Z、S、V）。") % {"chars": "、".join(bad)},
            code="credit_code_chars",
        )
    if credit_code_check_char(code[:17]) != code[17]:
        raise ValidationError(_("统一社会信用代码校验位不正确，请核对后重新输入。"), code="credit_code_check")


def make_credit_code(body17: str) -> str:
    """Completes 17 characters with their check character (demo data and tests)."""
    return body17 + credit_code_check_char(body17)


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's own, with the Chinese message its translation lacks."""

    def get_error_message(self):
        return _("密码长度太短，至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}

    def get_help_text(self):
        return _("密码至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}


def whole_number(value, low: int, high: int, *, field: str, message: str, not_a_number: str = "") -> int:
    """``value`` as a whole number from ``low`` to ``high`` (a rating, a percentage), or the error on ``field``.

    ``not_a_number`` is the error of a value that is no number at all (``message`` unless given)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: not_a_number or message})
    if not low <= number <= high:
        raise ValidationError({field: message})
    return number
