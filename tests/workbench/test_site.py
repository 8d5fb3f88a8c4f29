"""The admin site: installed as the default site, the app list grouped by the work, the greeting by name, the
favicon and stylesheet, and no way in for grid workers and unit operators."""

import pytest
from django.contrib import admin
from django.contrib.staticfiles import finders
from django.test import RequestFactory

from alliance.site.admin_site import GROUPS, SYSTEM, AllianceAdminSite, group_of

pytestmark = pytest.mark.django_db

TECHNICAL_APPS = {"axes", "django_celery_beat", "django_celery_results", "authtoken", "auth"}


def test_the_default_site_is_the_portals():
    assert isinstance(admin.site, AllianceAdminSite)
    assert str(admin.site.site_header) == "红色联盟 · 管理后台"


def test_every_registered_model_lands_in_exactly_one_group_in_the_order_of_the_work(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser

    groups = admin.site.get_app_list(request)

    names = [g["name"] for g in groups]
    assert names == [name for name in GROUPS if name in names]
    assert names[:7] == ["服务与说事", "三清单", "大工委", "网格与单位", "党员与积分", "通知与新闻", "设置"]
    assert names[-1] == SYSTEM
    listed = [entry["model"] for g in groups for entry in g["models"]]
    assert sorted(m._meta.label for m in listed) == sorted(m._meta.label for m in admin.site._registry)
    for model in admin.site._registry:
        if model._meta.app_label in TECHNICAL_APPS or model._meta.label_lower == "alliance.jobrun":
            assert group_of(model) == SYSTEM, model
    first = {g["name"]: [str(e["name"]) for e in g["models"]][:2] for g in groups}
    assert first["服务与说事"] == ["居民点单", "居民说事"]


def test_the_index_lists_the_todo_then_the_groups(client, community_admin):
    client.force_login(community_admin)

    html = client.get("/admin/").content.decode()

    assert html.index("待接单的点单") < html.index("服务与说事") < html.index("三清单") < html.index("设置")
    assert "app-group-1" in html


def test_one_apps_page_still_lists_its_models(client, community_admin):
    client.force_login(community_admin)

    response = client.get("/admin/services/")

    assert response.status_code == 200
    assert "居民点单" in response.content.decode()


def test_the_header_greets_the_person_by_their_name(client, community_admin):
    community_admin.display_name = "王秀兰"
    community_admin.save(update_fields=["display_name"])
    client.force_login(community_admin)

    html = client.get("/admin/").content.decode()

    assert "您好，<strong>王秀兰</strong>" in html
    assert community_admin.username.upper() not in html


def test_the_header_falls_back_to_the_login_name_as_written(client, community_admin):
    community_admin.display_name = ""
    community_admin.save(update_fields=["display_name"])
    client.force_login(community_admin)

    html = client.get("/admin/").content.decode()

    assert f"<strong>{community_admin.username}</strong>" in html


def test_admin_pages_carry_the_favicon_and_the_stylesheet_served_locally(client, community_admin):
    client.force_login(community_admin)

    html = client.get("/admin/services/order/").content.decode()

    assert 'rel="icon" href="/static/img/logo.svg"' in html
    assert "/static/alliance/admin.css" in html
    assert finders.find("img/logo.svg") and finders.find("alliance/admin.css")
    assert 'rel="icon"' in client.get("/").content.decode()  # the portal's pages too


@pytest.mark.parametrize("who", ["grid_worker", "unit_operator", "resident"])
def test_grid_workers_unit_operators_and_residents_never_reach_the_admin(client, who, request):
    user = request.getfixturevalue(who)
    client.force_login(user)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert client.get("/admin/services/order/").status_code == 302


def test_the_login_form_turns_a_grid_worker_away(client, grid_worker):
    response = client.post(
        "/admin/login/?next=/admin/", {"username": grid_worker.username, "password": "pass-word-123"}
    )

    assert response.status_code == 200  # the form again, with its error
    assert "_auth_user_id" not in client.session
