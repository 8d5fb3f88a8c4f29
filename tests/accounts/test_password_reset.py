"""Password reset by an SMS code to the registered mobile: same answer for every number, throttled."""

import re

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from members.models import PhoneCode
from tests.accounts.sms import code_in
from tests.members.factories import ResidentFactory

pytestmark = pytest.mark.django_db
NEW = "shunyu-new-2026!"
SAME_ANSWER = "如果该手机号已注册，验证码已发送。"


@pytest.fixture
def owner(db):
    return ResidentFactory(username="13700001111", phone="13700001111")


def ask(browser, phone):
    return browser.post(reverse("password_reset"), {"phone": phone}, follow=True)


def confirm(browser, code, password=NEW, password2=None):
    data = {"code": code, "password1": password, "password2": password2 or password}
    return browser.post(reverse("password_reset_verify"), data)


def _page(response) -> str:
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return re.sub(r"1\d\d(\*\*\*\*|\d{4})\d{4}", "PHONE", text)  # the number typed or masked


def test_the_owner_gets_a_code_and_sets_a_new_password(owner, sms):
    browser = Client()
    response = ask(browser, "137 0000 1111")

    assert SAME_ANSWER in response.content.decode()
    assert sms[0]["address"] == "13700001111"
    done = confirm(browser, code_in(sms[0]))

    assert done.status_code == 302 and done.url == reverse("login")
    owner.refresh_from_db()
    assert owner.check_password(NEW)
    assert Client().post(reverse("login"), {"username": owner.username, "password": NEW}).status_code == 302


def test_registered_and_unregistered_numbers_get_the_same_page(owner, sms):
    registered, unknown = ask(Client(), "13700001111"), ask(Client(), "13700002222")

    assert registered.status_code == unknown.status_code == 200
    assert _page(registered) == _page(unknown)
    assert [m["address"] for m in sms] == ["13700001111"]  # only the owner's phone gets a text
    assert PhoneCode.objects.filter(phone="13700002222").exists()  # limits count alike

    refused = confirm(Client(), "123456")  # no number in this session: back to step one
    assert refused.status_code == 302 and refused.url == reverse("password_reset")


def test_a_wrong_code_changes_nothing_and_the_code_dies_after_the_allowed_tries(owner, sms, settings):
    settings.SMS_CODE_MAX_ATTEMPTS = 3
    browser = Client()
    ask(browser, owner.phone)
    code = code_in(sms[0])
    wrong = "000000" if code != "000000" else "111111"

    for _ in range(3):
        response = confirm(browser, wrong)
        assert response.status_code == 200 and "验证码错误或已失效" in response.content.decode()
    assert "验证码错误或已失效" in confirm(browser, code).content.decode()
    owner.refresh_from_db()
    assert owner.check_password("pass-word-123")


def test_a_weak_new_password_is_refused_in_chinese_and_the_code_still_works(owner, sms):
    browser = Client()
    ask(browser, owner.phone)
    code = code_in(sms[0])

    weak = confirm(browser, code, password="12345678")
    assert weak.status_code == 200 and "这个密码太常见了" in weak.content.decode()
    mismatch = confirm(browser, code, password=NEW, password2="other-2026!")
    assert "两次输入的密码不一致" in mismatch.content.decode()
    assert confirm(browser, code).status_code == 302


def test_a_code_is_used_once(owner, sms):
    browser = Client()
    ask(browser, owner.phone)
    code = code_in(sms[0])
    assert confirm(browser, code).status_code == 302

    thief = Client()
    session = thief.session
    session["reset_phone"] = owner.phone
    session.save()
    assert "验证码错误或已失效" in confirm(thief, code, password="thief-pass-2026!").content.decode()


def test_the_reset_clears_the_login_lockout_of_the_account(owner, sms):
    for _ in range(5):
        Client().post(reverse("login"), {"username": owner.username, "password": "wrong"})
    assert AccessAttempt.objects.filter(username=owner.username).exists()
    browser = Client()
    ask(browser, owner.phone)
    confirm(browser, code_in(sms[0]))

    assert not AccessAttempt.objects.filter(username=owner.username).exists()


def test_asking_too_often_is_refused_for_registered_and_unregistered_numbers_alike(owner, sms, settings):
    settings.SMS_CODE_INTERVAL_SECONDS = 0
    settings.SMS_CODE_PER_PHONE = "2/h"
    answers = {}
    for phone in (owner.phone, "13700003333"):
        browser = Client(REMOTE_ADDR=f"192.0.2.{len(answers) + 10}")
        ask(browser, phone), ask(browser, phone)
        third = browser.post(reverse("password_reset"), {"phone": phone})
        answers[phone] = (third.status_code, _page(third))

    assert answers[owner.phone] == answers["13700003333"]
    assert answers[owner.phone][0] == 429 and "次数过多" in answers[owner.phone][1]


def test_an_invalid_number_is_a_field_error_not_a_500(db, sms):
    for hostile in ("12345", "", "1" * 500, "13700001111\x00", "<script>"):
        response = Client().post(reverse("password_reset"), {"phone": hostile})
        assert response.status_code == 200
    assert not sms


def test_a_reset_ends_the_accounts_api_tokens(owner, sms):
    from rest_framework.authtoken.models import Token

    Token.objects.create(user=owner)
    browser = Client()
    ask(browser, owner.phone)
    confirm(browser, code_in(sms[0]))

    assert not Token.objects.filter(user=owner).exists()
