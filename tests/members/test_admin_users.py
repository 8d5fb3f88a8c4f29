"""Accounts in the admin: roles an admin may give, subtree of the accounts, passwords by Django's forms."""

import pytest
from django.urls import reverse

from members.models import User
from tests.members.factories import CommunityAdminFactory, ResidentFactory

ADD = "admin:members_user_add"


def new_account(**over):
    data = {
        "username": "new-worker",
        "usable_password": "true",
        "password1": "Hongse-Lianmeng-2026",
        "password2": "Hongse-Lianmeng-2026",
        "display_name": "新网格员",
        "phone": "13912345678",
        "role": "grid_worker",
        "grid_node": "",
        "unit": "",
    }
    data.update(over)
    return data


def role_choices(client):
    form = client.get(reverse(ADD)).context["adminform"].form
    return {value for value, _label in form.fields["role"].choices if value}


def test_community_admin_may_give_only_the_roles_below_them(client, community_admin):
    client.force_login(community_admin)

    assert role_choices(client) == {"grid_worker", "unit_operator", "party_member", "resident"}


def test_street_admin_may_also_create_community_admins(client, street_admin):
    client.force_login(street_admin)

    assert role_choices(client) == {"community_admin", "grid_worker", "unit_operator", "party_member", "resident"}


def test_superuser_may_give_every_role(client, superuser):
    client.force_login(superuser)

    assert role_choices(client) == set(User.Role.values)


def test_community_admin_creates_a_grid_worker_with_a_password_that_works(client, community_admin, community):
    client.force_login(community_admin)

    response = client.post(reverse(ADD), new_account(grid_node=community.pk))

    assert response.status_code == 302, response.context["adminform"].form.errors
    worker = User.objects.get(username="new-worker")
    assert worker.role == "grid_worker" and worker.grid_node == community and not worker.is_staff
    assert worker.check_password("Hongse-Lianmeng-2026")
    assert worker.history.get().history_user == community_admin


def test_community_admin_cannot_create_a_community_admin(client, community_admin, community):
    client.force_login(community_admin)

    response = client.post(reverse(ADD), new_account(role="community_admin", grid_node=community.pk))

    assert response.status_code == 200
    assert "role" in response.context["adminform"].form.errors
    assert not User.objects.filter(username="new-worker").exists()


def test_community_admin_cannot_place_an_account_in_another_community(client, community_admin, other_community):
    client.force_login(community_admin)

    response = client.post(reverse(ADD), new_account(grid_node=other_community.pk))

    assert "grid_node" in response.context["adminform"].form.errors
    assert not User.objects.filter(username="new-worker").exists()


def test_community_admin_must_give_a_grid_node(client, community_admin):
    client.force_login(community_admin)

    response = client.post(reverse(ADD), new_account(role="resident"))

    assert "grid_node" in response.context["adminform"].form.errors


def test_staff_admin_cannot_grant_superuser(client, street_admin, street):
    resident = ResidentFactory(grid_node=street)
    client.force_login(street_admin)

    form = client.get(reverse("admin:members_user_change", args=[resident.pk])).context["adminform"].form

    assert "is_superuser" not in form.fields


def test_community_admin_cannot_edit_a_fellow_community_admin(client, community_admin, community):
    peer = CommunityAdminFactory(grid_node=community)
    client.force_login(community_admin)
    url = reverse("admin:members_user_change", args=[peer.pk])

    response = client.post(url, {"username": peer.username, "role": "resident", "grid_node": community.pk})

    assert response.status_code == 403
    peer.refresh_from_db()
    assert peer.role == "community_admin"
    password = client.get(reverse("admin:auth_user_password_change", args=[peer.pk]))
    assert password.status_code == 403


def test_community_admin_resets_a_residents_password_with_the_standard_form(client, community_admin, community):
    resident = ResidentFactory(grid_node=community)
    client.force_login(community_admin)
    url = reverse("admin:auth_user_password_change", args=[resident.pk])

    response = client.post(
        url, {"password1": "Xin-Mima-2026!", "password2": "Xin-Mima-2026!", "usable_password": "true"}
    )

    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.check_password("Xin-Mima-2026!")


@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_accounts_of_another_community_are_404(client, community_admin, other_community, view):
    foreign = ResidentFactory(grid_node=other_community)
    client.force_login(community_admin)

    assert client.get(reverse(f"admin:members_user_{view}", args=[foreign.pk])).status_code == 404


def test_password_hashes_never_appear_in_the_user_list(client, superuser, resident):
    client.force_login(superuser)

    page = client.get(reverse("admin:members_user_changelist")).content.decode()

    assert resident.password not in page
