"""Every page in English shows no Chinese interface text: the portal signed out, as a resident, a party member
and a unit operator; the workspace as a unit operator, a grid worker and a street admin; the admin's to-do
list, dashboard and every registered model's change list, add form and change form as a street admin. The data
are in Latin letters (tests/i18n/english_pages.py ``latin_world``), so any Chinese character is interface text.
Also a refused form, an API error and an Excel export's headers. English is chosen as a person chooses it: the
language cookie ``set_language`` writes.
"""

import io
import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.i18n.english_pages import (
    LANGUAGE_COOKIE,
    admin_pages,
    chinese_in,
    chinese_on,
    latin_world,
    portal_pages,
    strings_in,
    workspace_pages,
)

pytestmark = pytest.mark.django_db

HTML_LANG_EN = re.compile(r'<html[^>]*\slang="en"')
SKIPPED = (302, 403, 404, 405)  # not for this person, or an action that only posts or leads elsewhere


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world():
    return latin_world()


def english(user=None) -> Client:
    client = Client(raise_request_exception=False)
    client.cookies[LANGUAGE_COOKIE] = "en"
    if user is not None:
        client.force_login(user)
    return client


def _read(client, who: str, paths: list[str], found: dict[str, list[str]]) -> int:
    """Opens each path; records what Chinese each page shows (or its error); returns how many pages were read."""
    read = 0
    for path in paths:
        response = client.get(path)
        if response.status_code in SKIPPED:
            continue
        where = f"{who} {path}"
        if response.status_code != 200:
            found[where] = [f"status {response.status_code}"]
            continue
        if not response["Content-Type"].startswith("text/html"):
            continue
        read += 1
        html = response.content.decode()
        if not HTML_LANG_EN.search(html):
            found.setdefault(where, []).append('<html lang="en"> missing')
        if chinese := chinese_on(html):
            found.setdefault(where, []).extend(chinese)
    return read


def _report(found: dict[str, list[str]], read: dict[str, int] | None = None) -> str:
    """Each Chinese text with how many pages show it and the first (the catalogue's to-do list), then each page
    with how many it shows, and how many pages were read."""
    pages: dict[str, list[str]] = {}
    for where, texts in found.items():
        for text in texts:
            pages.setdefault(text, []).append(where)
    by_text = [f"  {len(w)}× {text}   [e.g. {w[0]}]" for text, w in sorted(pages.items(), key=lambda i: -len(i[1]))]
    by_page = [f"  {where}: {len(texts)}" for where, texts in found.items()]
    return "\n".join(
        [f"Chinese on {len(found)} pages in English (pages read: {read}); the texts:", *by_text, "Pages:", *by_page]
    )


def test_every_page_in_english_shows_no_chinese_interface_text(world):
    users = world.users
    found: dict[str, list[str]] = {}
    read = {}
    portal = portal_pages(world)
    for role in ("anonymous", "resident", "party_member", "unit_operator"):
        read[role] = _read(english(users.get(role)), role, portal, found)
    workspace = workspace_pages(world)
    for role in ("unit_operator", "grid_worker", "street_admin"):
        read[f"{role} workspace"] = _read(english(users[role]), role, workspace, found)
    read["admin"] = _read(english(users["street_admin"]), "street_admin", admin_pages(users["street_admin"]), found)

    # The walk found the pages: the portal's lists and details, the workspace's, the admin's registry.
    assert read["anonymous"] >= 25 and read["resident"] >= 30, read
    assert read["unit_operator workspace"] >= 5 and read["grid_worker workspace"] >= 3, read
    assert read["admin"] >= 100, read
    assert not found, _report(found, read)


def _listed(chinese: list[str]) -> str:
    return "Chinese in English:\n" + "\n".join(chinese)


def test_a_refused_form_answers_in_english(db):
    response = english().post(reverse("register"), {"phone": "12"})  # not a mobile number
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert not (chinese := chinese_on(response.content.decode())), _listed(chinese)


def test_an_api_error_answers_in_english(resident, street):
    client = english(resident)
    body = {"node": street.pk, "topics": ["news"], "frequency": "daily", "channel": "email"}
    refused = client.post("/api/v1/follows/", json.dumps(body), content_type="application/json")
    missing = client.get("/api/v1/no-such-collection/")
    assert refused.status_code == 400 and missing.status_code == 404
    texts = strings_in(refused.json()) + strings_in(missing.json())
    assert texts and not (chinese := chinese_in(texts)), _listed(chinese)


def test_an_excel_export_has_english_headers(street_admin):
    response = english(street_admin).get(reverse("admin:services_order_export_excel"))
    assert response.status_code == 200, response.content[:300]
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    sheet = book.active
    headers = [str(value) for value in next(sheet.iter_rows(values_only=True)) if value is not None]
    assert headers and not (chinese := chinese_in([sheet.title, *headers])), _listed(chinese)


# --- the check itself, on pages that are already English (tests/i18n/tiny_urls.py) ---------------------------


@pytest.mark.urls("tests.i18n.tiny_urls")
def test_a_page_already_in_english_passes_the_check():
    found: dict[str, list[str]] = {}
    assert _read(english(), "anonymous", ["/english/"], found) == 1
    assert found == {}


@pytest.mark.urls("tests.i18n.tiny_urls")
def test_the_check_names_the_page_and_its_chinese_texts():
    found: dict[str, list[str]] = {}
    _read(english(), "anonymous", ["/chinese/"], found)
    assert found == {"anonymous /chinese/": ["保存", "尚未翻译的界面文字", "已完成"]}
    report = _report(found)
    assert "1× 尚未翻译的界面文字   [e.g. anonymous /chinese/]" in report and "anonymous /chinese/: 3" in report
    found = {}
    _read(Client(), "anonymous", ["/english/"], found)  # no cookie: the page is Chinese, lang says so
    assert found == {
        "anonymous /english/": ['<html lang="en"> missing', "登录", "搜索", "保存", "是的，我确定", "删除"]
    }
