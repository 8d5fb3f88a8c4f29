from django.urls import reverse

from members.models import User


def register(client, **overrides):
    data = {"phone": "13912345678", "display_name": "李秀兰", "password1": "shunyu-2026!", "password2": "shunyu-2026!"}
    data.update(overrides)
    return client.post(reverse("register"), data)


def test_resident_registers_with_a_mobile_number_and_is_logged_in(client, community):
    response = register(client, grid_node=community.pk)

    assert response.status_code == 302
    user = User.objects.get(username="13912345678")
    assert user.role == User.Role.RESIDENT and user.grid_node == community and not user.is_staff
    assert client.get(reverse("workspace")).status_code == 200


def test_registration_refuses_a_bad_mobile_number_in_chinese(client, db):
    response = register(client, phone="12345")

    assert response.status_code == 200
    assert "请输入有效的11位中国大陆手机号码" in response.content.decode()
    assert not User.objects.exists()


def test_registration_refuses_a_number_already_registered(client, db):
    register(client)
    client.logout()
    response = register(client)
    assert "该手机号码已注册" in response.content.decode()
    assert User.objects.count() == 1


def test_registration_refuses_weak_and_mismatched_passwords(client, db):
    assert "两次输入的密码不一致" in register(client, password2="other-pass-1").content.decode()
    weak = register(client, password1="123", password2="123").content.decode()
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
