"""The profile page: every signed-in person; residents set their community and micro-grid there."""

import pytest
from django.test import Client
from django.urls import reverse

from members import actions
from members.models import User
from tests.grids.factories import MicroGridFactory
from tests.members.factories import ResidentFactory, UserFactory

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


@pytest.mark.parametrize(
    "who", ["resident", "grid_worker", "community_admin", "street_admin", "unit_operator", "superuser"]
)
def test_every_signed_in_person_has_a_profile_page_linked_from_the_header(who, request):
    user = request.getfixturevalue(who)
    page = signed_in(user).get(reverse("profile"))

    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("services:notification_preferences") in html and reverse("password_change") in html
    assert reverse("profile") in signed_in(user).get(reverse("home")).content.decode()


def test_signed_out_visitors_are_sent_to_login(client, db):
    assert client.get(reverse("profile")).url.startswith(reverse("login"))


def test_a_resident_without_a_community_sets_one_and_can_then_order(community, db):
    resident = ResidentFactory(grid_node=None, phone="13600001111", username="13600001111")
    micro = MicroGridFactory(parent=community)
    browser = signed_in(resident)
    assert "您还没有设置所在社区" in browser.get(reverse("profile")).content.decode()

    response = browser.post(
        reverse("profile"),
        {"display_name": "王大妈", "phone": "13600001111", "community": community.pk, "micro_grid": micro.pk},
    )

    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.grid_node == micro and resident.display_name == "王大妈"


def test_the_order_refusal_points_to_the_profile_page(db, client):
    from services import actions as service_actions

    resident = ResidentFactory(grid_node=None)
    with pytest.raises(Exception) as refused:
        service_actions.submit_order(by=resident, category=None, text="x")
    assert reverse("profile") in str(refused.value)
    browser = signed_in(resident)
    page = browser.get(reverse("services:free_order")).content.decode()
    assert f'href="{reverse("profile")}"' in page


def test_a_micro_grid_of_another_community_is_refused(community, other_community, resident):
    foreign = MicroGridFactory(parent=other_community)
    response = signed_in(resident).post(
        reverse("profile"), {"display_name": "x", "phone": "", "community": community.pk, "micro_grid": foreign.pk}
    )

    assert response.status_code == 200 and "所选微网格不属于所选社区" in response.content.decode()
    resident.refresh_from_db()
    assert resident.grid_node == community


def test_staff_cannot_move_their_own_scope(community_admin, other_community):
    browser = signed_in(community_admin)
    browser.post(reverse("profile"), {"display_name": "管理员", "phone": "", "community": other_community.pk})
    community_admin.refresh_from_db()
    assert community_admin.grid_node != other_community and community_admin.display_name == "管理员"

    with pytest.raises(Exception, match="管理员设置"):
        actions.update_profile(
            by=community_admin, user=community_admin, display_name="", phone="", grid_node=other_community
        )


def test_the_phone_is_validated_and_one_number_belongs_to_one_account(resident, db):
    UserFactory(username="other", phone="13600002222")
    browser = signed_in(resident)

    bad = browser.post(reverse("profile"), {"display_name": "x", "phone": "12345"})
    assert "请输入有效的手机号码" in bad.content.decode()
    taken = browser.post(reverse("profile"), {"display_name": "x", "phone": "136 0000 2222"})
    assert taken.status_code == 200 and "该号码已被其他账号使用" in taken.content.decode()
    ok = browser.post(reverse("profile"), {"display_name": "x", "phone": "0531-82345678"})
    assert ok.status_code == 302
    resident.refresh_from_db()
    assert resident.phone == "0531-82345678"


def test_a_resident_who_logs_in_with_the_mobile_keeps_doing_so_after_changing_it(db):
    resident = ResidentFactory(username="13600003333", phone="13600003333")
    signed_in(resident).post(reverse("profile"), {"display_name": "", "phone": "13600004444"})

    resident.refresh_from_db()
    assert resident.username == resident.phone == "13600004444"


def test_someone_else_cannot_change_a_profile(resident, community_admin):
    with pytest.raises(Exception, match="只能修改自己的个人资料"):
        actions.update_profile(by=community_admin, user=resident, display_name="x", phone="")


def test_hostile_input_never_gives_a_500(resident):
    browser = signed_in(resident)
    for value in ("\x00", "x" * 5000, "-1", "99999999999999999999", "<b>"):
        response = browser.post(
            reverse("profile"), {"display_name": value, "phone": value, "community": value, "micro_grid": value}
        )
        assert response.status_code == 200


def test_password_change_in_the_site_layout_in_chinese(resident):
    browser = signed_in(resident)
    page = browser.get(reverse("password_change"))
    assert page.status_code == 200 and "修改密码" in page.content.decode()

    wrong = browser.post(
        reverse("password_change"),
        {"old_password": "nope", "new_password1": "a-b-c-2026!", "new_password2": "a-b-c-2026!"},
    )
    assert "旧密码不正确" in wrong.content.decode()
    weak = browser.post(
        reverse("password_change"), {"old_password": "pass-word-123", "new_password1": "123", "new_password2": "123"}
    )
    assert "密码长度太短" in weak.content.decode()
    done = browser.post(
        reverse("password_change"),
        {"old_password": "pass-word-123", "new_password1": "a-b-c-2026!", "new_password2": "a-b-c-2026!"},
    )
    assert done.status_code == 302 and done.url == reverse("profile")
    assert browser.get(reverse("profile")).status_code == 200  # still signed in here
    assert User.objects.get(pk=resident.pk).check_password("a-b-c-2026!")
