"""Chinese by default on every page; the switch (``set_language``) changes the language of every next page — the
portal, the workspace and the admin — and ``<html lang>`` with it; a browser asking for English on its own does
not (alliance.core.admin_chinese: office PCs and phones ask for English nobody chose)."""

import re

import pytest
from django.urls import reverse

from tests.i18n.english_pages import LANGUAGE_COOKIE

pytestmark = pytest.mark.django_db

PAGES = {"portal": "/", "workspace": "/workspace/", "admin": "/admin/"}


def _lang(response) -> str:
    assert response.status_code == 200, response.status_code
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


@pytest.fixture
def staff(client, street_admin):
    client.force_login(street_admin)
    return client


def test_every_page_is_chinese_without_a_choice_even_when_the_browser_asks_for_english(staff):
    for name, path in PAGES.items():
        assert _lang(staff.get(path)) == "zh-hans", name
        asked = staff.get(path, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        assert _lang(asked) == "zh-hans" and asked["Content-Language"] == "zh-hans", name
        assert "Accept-Language" not in asked.get("Vary", "") and "Cookie" in asked["Vary"], name
    assert "今日待办" in staff.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_the_switch_changes_every_next_page_and_back(staff):
    switched = staff.post(reverse("set_language"), {"language": "en", "next": "/workspace/"})
    assert switched.status_code == 302 and switched["Location"] == "/workspace/"
    assert staff.cookies[LANGUAGE_COOKIE].value == "en" and staff.cookies[LANGUAGE_COOKIE]["max-age"] >= 86400 * 300
    for name, path in PAGES.items():
        response = staff.get(path)
        assert _lang(response) == "en" and response["Content-Language"] == "en", name
    # Django's own admin texts follow (its English): the choice reaches the admin too.
    assert "Log out" in staff.get("/admin/").content.decode()

    staff.post(reverse("set_language"), {"language": "zh-hans", "next": "/admin/"})
    for name, path in PAGES.items():
        assert _lang(staff.get(path)) == "zh-hans", name


def test_a_language_the_site_does_not_offer_is_chinese(client):
    client.cookies[LANGUAGE_COOKIE] = "fr"
    assert _lang(client.get("/")) == "zh-hans"
    client.cookies[LANGUAGE_COOKIE] = "en-gb"  # a variant of an offered language is that language
    assert _lang(client.get("/")) == "en"


def test_every_layout_has_the_switch_naming_each_language_in_itself(staff):
    for name, path in PAGES.items():
        for language, cookie in (("zh-hans", "zh-hans"), ("en", "en")):
            staff.cookies[LANGUAGE_COOKIE] = cookie
            page = staff.get(path).content.decode()
            assert f'action="{reverse("set_language")}"' in page, (name, language)
            other = "en" if language == "zh-hans" else "zh-hans"
            label = {"en": "English", "zh-hans": "简体中文"}[other]
            assert re.search(rf'value="{other}" lang="{other}"[^>]*>{label}<', page), (name, language)


def test_the_admin_switch_posts_the_other_language_and_comes_back_to_the_page(staff):
    page = staff.get("/admin/members/user/").content.decode()
    form = re.search(r'<form id="language-form".*?</form>', page, re.S).group(0)
    assert 'name="next" value="/admin/members/user/"' in form
    assert re.findall(r'<button type="submit" name="language" value="([^"]+)"', form) == ["en"]
    response = staff.post(reverse("set_language"), {"language": "en", "next": "/admin/members/user/"}, follow=True)
    assert response.redirect_chain[-1][0] == "/admin/members/user/" and _lang(response) == "en"
