"""Registration by SMS code: the page never tells whether a number is registered; no path gives a 500."""

import pytest
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from members import actions
from members.models import PhoneCode, User
from tests.accounts.sms import code_in
from tests.members.factories import ResidentFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "shunyu-2026!"


def ask(client, phone):
    return client.post(reverse("register"), {"phone": phone}, follow=True)


def finish(client, code, **extra):
    data = {"code": code, "display_name": "", "password1": PASSWORD, "password2": PASSWORD, **extra}
    return client.post(reverse("register_verify"), data)


def _page_text(response) -> str:
    """What the page says, without the masked number and the CSRF token that differ anyway."""
    import re

    text = response.content.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    return re.sub(r"1\d\d\*\*\*\*\d{4}", "PHONE", text)


def test_the_page_answers_alike_for_registered_and_new_numbers(sms):
    ResidentFactory(phone="13800001234", username="13800001234")

    registered = ask(Client(), "13800001234")
    new = ask(Client(), "13800005678")

    assert registered.status_code == new.status_code == 200
    assert _page_text(registered) == _page_text(new)
    assert PhoneCode.objects.filter(phone__in=["13800001234", "13800005678"]).count() == 2
    to_registered, to_new = sms
    assert to_registered["address"] == "13800001234" and "已注册" in to_registered["body"]
    assert to_registered["url"] == reverse("password_reset")
    assert to_new["address"] == "13800005678" and "注册验证码" in to_new["body"]


def test_a_number_used_as_contact_phone_of_a_staff_account_is_not_registered_again(sms, community):
    UserFactory(username="lihua", phone="13800002222")
    browser = Client()
    ask(browser, "13800002222")
    assert "已注册" in sms[-1]["body"]

    response = finish(browser, "000000")
    assert response.status_code == 200 and "验证码错误或已失效" in response.content.decode()
    assert not User.objects.filter(username="13800002222").exists()


def test_a_registration_that_loses_a_race_gets_the_neutral_message_not_a_500(sms, monkeypatch):
    browser = Client()
    ask(browser, "13800003333")
    code = code_in(sms[-1])
    UserFactory(username="someone", phone="13800003333")  # taken between the code and the form

    response = finish(browser, code)

    assert response.status_code == 200
    assert "该手机号码无法注册" in response.content.decode()
    assert User.objects.filter(phone="13800003333").count() == 1


def test_the_unique_constraint_itself_answers_the_neutral_message(sms, monkeypatch):
    browser = Client()
    ask(browser, "13800004444")
    code = code_in(sms[-1])

    def taken(*args, **kwargs):
        raise IntegrityError('duplicate key value violates unique constraint "unique_user_phone_when_set"')

    monkeypatch.setattr(User, "save", taken)
    response = finish(browser, code)

    assert response.status_code == 200
    assert "该手机号码无法注册" in response.content.decode()


def test_a_wrong_code_is_refused_and_the_code_dies_after_five_wrong_tries(sms, settings):
    settings.SMS_CODE_MAX_ATTEMPTS = 5
    browser = Client()
    ask(browser, "13800005555")
    code = code_in(sms[-1])
    wrong = "111111" if code != "111111" else "222222"

    for _ in range(5):
        response = finish(browser, wrong)
        assert response.status_code == 200 and "验证码错误或已失效" in response.content.decode()
    assert "验证码错误或已失效" in finish(browser, code).content.decode()
    assert not User.objects.filter(phone="13800005555").exists()


def test_an_expired_code_is_refused(sms):
    browser = Client()
    ask(browser, "13800006666")
    code = code_in(sms[-1])
    from django.utils import timezone

    PhoneCode.objects.filter(phone="13800006666").update(expires_at=timezone.now())

    assert "验证码错误或已失效" in finish(browser, code).content.decode()


def test_codes_are_stored_hashed(sms):
    ask(Client(), "13800007777")
    row = PhoneCode.objects.get(phone="13800007777")
    assert len(row.code_hash) == 64 and code_in(sms[-1]) not in row.code_hash


def test_codes_are_limited_per_number_and_per_address(sms, settings):
    settings.SMS_CODE_INTERVAL_SECONDS = 60
    settings.SMS_CODE_PER_ADDRESS = "3/h"
    browser = Client(REMOTE_ADDR="192.0.2.44")

    assert ask(browser, "13800008881").status_code == 200
    again = browser.post(reverse("register"), {"phone": "13800008881"})
    assert again.status_code == 429 and "验证码发送过于频繁" in again.content.decode()

    assert ask(browser, "13800008882").status_code == 200
    assert ask(browser, "13800008883").status_code == 200
    spree = browser.post(reverse("register"), {"phone": "13800008884"})
    assert spree.status_code == 429 and "次数过多" in spree.content.decode()
    assert len(sms) == 3


def test_the_verify_step_without_a_number_goes_back_to_step_one(client, db):
    assert client.get(reverse("register_verify")).url == reverse("register")
    assert client.post(reverse("register_verify"), {"code": "x"}).url == reverse("register")


def test_the_action_refuses_without_a_valid_code(db):
    with pytest.raises(Exception) as refused:
        actions.register_resident(phone="13800009999", code="123456", password=PASSWORD)
    assert "验证码错误或已失效" in str(refused.value)
    assert not User.objects.exists()
