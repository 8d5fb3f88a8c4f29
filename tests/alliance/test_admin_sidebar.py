"""The admin's navigation sidebar, drawn once per kept app list (alliance/site/templatetags/admin_sidebar.py), is
Django's own sidebar on every page: the same HTML as admin/app_list.html draws for that page, the current group
and model marked, for the superuser and a street admin, in Chinese and in English."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from alliance.core.templatetags.admin_sidebar import kept_app_list, marked, unmarked
from members.models import User
from tests.members.factories import StreetAdminFactory, UserFactory

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<nav class="sticky" id="nav-sidebar".*?</nav>', re.S)
PAGES = [  # the index (今日待办) has no sidebar, as in Django
    "admin:services_order_changelist",
    "admin:members_partymember_changelist",
    "admin:grids_gridnode_changelist",
    "admin:core_notification_changelist",
]


def djangos(app_list, path):
    """admin/app_list.html as Django's nav_sidebar.html includes it, for a request at ``path``."""
    request = RequestFactory().get(path)
    return render_to_string(
        "admin/app_list.html", {"app_list": app_list, "show_changelinks": False, "request": request}
    )


@pytest.fixture
def people():
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True, role=User.Role.STREET_ADMIN)
    return [superuser, StreetAdminFactory()]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_admin_page_draws_djangos_sidebar_marked_for_itself(client, people, language):
    client.cookies["django_language"] = language
    for person in people:
        client.force_login(person)
        for name in PAGES:
            path = reverse(name)
            page = client.get(path)
            assert page.status_code == 200
            context = page.context[0] if isinstance(page.context, list) else page.context
            with translation.override(language):
                expected = djangos(context["available_apps"], path)
            drawn = NAV.search(page.content.decode()).group(0)
            assert expected.strip() in drawn, (person, name)
            assert drawn.count("current-model") == 1 and drawn.count('aria-current="page"') == 1
            assert f'<a href="{path}" aria-current="page">' in drawn


def test_the_sidebar_html_is_kept_with_the_app_list_and_only_marked_per_page(client, people, django_assert_num_queries):
    client.force_login(people[0])
    orders, members = reverse("admin:services_order_changelist"), reverse("admin:members_partymember_changelist")
    client.get(orders)
    # The second page draws the kept sidebar: marked for members now, not for orders.
    drawn = NAV.search(client.get(members).content.decode()).group(0)
    assert f'<a href="{members}" aria-current="page">' in drawn and f'<a href="{orders}" aria-current' not in drawn


def test_marking_follows_djangos_containment_rule():
    apps = [
        {
            "app_label": "group-1",
            "app_url": "/admin/",
            "name": "一",
            "models": [
                {"object_name": "Order", "name": "点单", "admin_url": "/admin/services/order/", "add_url": None},
                {"object_name": "Issue", "name": "说事", "admin_url": "/admin/services/issue/", "add_url": "/a/"},
                {"object_name": "Plain", "name": "无链接", "admin_url": None, "add_url": None},
            ],
        },
        {"app_label": "other", "app_url": "/admin/other/", "name": "二", "models": []},
    ]
    for path in ["/admin/", "/admin/services/order/12/change/", "/admin/services/issue/?q=%E8%B7%AF", "/admin/other/"]:
        assert marked(unmarked(apps), apps, path) == djangos(apps, path), path


def test_a_site_that_keeps_no_app_list_draws_it_each_time():
    request = RequestFactory().get("/bench/admin/")
    apps = [
        {
            "app_label": "members",
            "app_url": "/bench/admin/members/",
            "name": "M",
            "models": [
                {
                    "object_name": "PartyOrganization",
                    "name": "党组织",
                    "admin_url": "/bench/admin/members/partyorganization/",
                }
            ],
        }
    ]
    assert kept_app_list({"request": request, "available_apps": apps}) == djangos(apps, "/bench/admin/")
