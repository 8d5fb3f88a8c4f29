"""The admin's change lists read raw query parameters (list filters, search, date drill-down): no value
that PostgreSQL or the calendar cannot take answers 500 (issue 12: every page, every role)."""

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _changelists():
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        yield model_admin, reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")


@pytest.mark.parametrize("params", [{"q": "\x00"}, {"status__exact": "a\x00b"}, {"kind__exact": "\x00"}])
def test_a_nul_in_any_change_list_parameter_is_a_400(client, superuser, params):
    client.force_login(superuser)
    answers = {url: client.get(url, params).status_code for _admin, url in _changelists()}
    assert set(answers.values()) == {400}, {url: code for url, code in answers.items() if code != 400}


def test_a_nul_is_refused_on_portal_pages_and_the_api_by_their_own_forms(client):
    page = client.get("/lists/projects/", {"q": "水\x00"})
    assert page.status_code == 400 and "控制字符" in page.content.decode()  # the page, with its message
    assert client.get("/api/v1/projects/", {"search": "\x00"}).status_code == 200  # DRF's search drops NUL


@pytest.mark.parametrize("part,value", [("year", "99999999999999999999"), ("year", "0"), ("month", "13"), ("day", "²")])
def test_a_date_drill_down_outside_the_calendar_is_a_400_and_a_real_one_works(client, superuser, part, value):
    client.force_login(superuser)
    drilled = [(model_admin, url) for model_admin, url in _changelists() if model_admin.date_hierarchy]
    assert drilled, "some admin drills down by date"
    for model_admin, url in drilled:
        field = model_admin.date_hierarchy
        assert client.get(url, {f"{field}__{part}": value}).status_code == 400, url
        assert client.get(url, {f"{field}__year": "2026"}).status_code == 200, url


def test_the_community_admin_gets_the_same_answers(client, community_admin):
    client.force_login(community_admin)
    assert client.get(reverse("admin:services_order_changelist"), {"q": "\x00"}).status_code == 400
    assert client.get(reverse("admin:alliance_meeting_changelist"), {"starts_at__year": "10**20"}).status_code == 400
