"""Validators of credit codes and phone numbers, with Chinese messages."""

import pytest
from django.core.exceptions import ValidationError

from alliance.core.validators import make_credit_code, validate_credit_code, validate_mobile, validate_phone
from tests.members.factories import MemberUnitFactory

GOOD = make_credit_code("91370100MA3C5KXX0")
WRONG_CHECK = GOOD[:-1] + ("1" if GOOD[-1] != "1" else "2")


@pytest.mark.parametrize(
    ("code", "says"),
    [
        ("91370100MA3C5KXX0", "应为18位"),
        ("91370100MA3C5KXX0IO", "应为18位"),
        ("91370100MA3C5KXI0O", "无效字符"),
        (WRONG_CHECK, "校验位不正确"),
    ],
)
def test_bad_credit_codes_are_refused_in_chinese(code, says):
    with pytest.raises(ValidationError) as error:
        validate_credit_code(code)
    assert says in error.value.messages[0]


def test_a_real_credit_code_passes():
    validate_credit_code("91350100M000100Y43")
    validate_credit_code(make_credit_code("12370100MB2850123").lower())


@pytest.mark.parametrize("phone", ["12812345678", "1381234567", "138123456789", "abc", ""])
def test_bad_mobiles_are_refused_in_chinese(phone):
    with pytest.raises(ValidationError) as error:
        validate_mobile(phone)
    assert "11位中国大陆手机号码" in error.value.messages[0]


@pytest.mark.parametrize("phone", ["13812345678", "+86 138 1234 5678", "0531-82345678", "053182345678"])
def test_good_phones_pass(phone):
    validate_phone(phone)


@pytest.mark.parametrize("phone", ["82345678", "0531-123", "110", "1381234567x"])
def test_bad_phones_are_refused_in_chinese(phone):
    with pytest.raises(ValidationError) as error:
        validate_phone(phone)
    assert "固定电话" in error.value.messages[0]


def test_unit_full_clean_names_both_bad_fields(community):
    unit = MemberUnitFactory.build(credit_code="91370100000000001X", contact_phone="12345", grid_node=community)

    with pytest.raises(ValidationError) as error:
        unit.full_clean()

    assert set(error.value.message_dict) == {"credit_code", "contact_phone"}
