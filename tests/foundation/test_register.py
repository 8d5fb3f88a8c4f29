import re

from django.urls import reverse

from members.models import User
from tests.accounts.sms import code_in

NEUTRAL = "如果该号码已注册，短信会提示您直接登录或找回密码"


def register(client, sms, **overrides):
    """Step one texts a code to the number; step two registers with it (the code from the SMS unless given)."""
    data = {"phone": "13912345678", "display_name": "李秀兰", "password1": "shunyu-2026!", "password2": "shunyu-2026!"}
    data.update(overrides)
    first = client.post(reverse("register"), {"phone": data["phone"]})
    if first.status_code != 302:
        return first
    if "code" not in data:
        data["code"] = code_in(sms[-1])
    return client.post(reverse("register_verify"), data)


def test_resident_registers_with_a_mobile_number_and_is_logged_in(client, community, sms):
    response = register(client, sms, grid_node=community.pk)

    assert response.status_code == 302
    assert sms[0]["address"] == "13912345678" and "注册验证码" in sms[0]["body"]
    user = User.objects.get(username="13912345678")
    assert user.role == User.Role.RESIDENT and user.grid_node == community and not user.is_staff
    assert client.get(reverse("workspace")).status_code == 200


def test_registration_refuses_a_bad_mobile_number_in_chinese(client, db, sms):
    response = register(client, sms, phone="12345")

    assert response.status_code == 200
    assert "请输入有效的11位中国大陆手机号码" in response.content.decode()
    assert not User.objects.exists() and not sms


def test_registration_refuses_a_number_already_registered_without_saying_so_on_the_page(client, db, sms, settings):
    settings.SMS_CODE_INTERVAL_SECONDS = 0
    register(client, sms)
    client.logout()

    first = client.post(reverse("register"), {"phone": "13912345678"}, follow=True)
    assert NEUTRAL in first.content.decode()  # the same words as for a new number
    assert "已注册" in sms[-1]["body"] and "忘记密码" in sms[-1]["body"] and not re.search(r"\d{6}", sms[-1]["body"])
    again = register(client, sms, code="123456")
    assert again.status_code == 200 and "验证码错误或已失效" in again.content.decode()
    assert User.objects.count() == 1


def test_registration_refuses_weak_and_mismatched_passwords(client, db, sms):
    assert "两次输入的密码不一致" in register(client, sms, password2="other-pass-1").content.decode()
    weak = client.post(
        reverse("register_verify"), {"code": "000000", "password1": "123", "password2": "123"}
    ).content.decode()
    assert "密码长度太短" in weak
    assert not User.objects.exists()


def test_login_and_logout(client, resident):
    response = client.post(reverse("login"), {"username": resident.username, "password": "pass-word-123"})
    assert response.status_code == 302
    assert "退出" in client.get(reverse("home")).content.decode()
    client.post(reverse("logout"))
    assert "登录" in client.get(reverse("home")).content.decode()


def test_repeated_failed_logins_lock_the_account_out(client, resident):
    for _ in range(5):
        client.post(reverse("login"), {"username": resident.username, "password": "wrong"})
    response = client.post(reverse("login"), {"username": resident.username, "password": "pass-word-123"})
    assert response.status_code == 429
    assert "登录已暂时锁定" in response.content.decode()
