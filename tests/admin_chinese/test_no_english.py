"""Chinese throughout for staff (issue 14): every admin page a community admin or a street admin can open,
found from the admin registry, shows no English interface word.

The district of tests/security/world.py plus a record of every other registered model, all in Chinese; the
pages are the index, each app index, each model's change list (also filtered and searched), add form,
change form, history, a historical version, delete confirmation, the confirmation page of each transition
offered, the import page and the model's other views, the change list actions that ask before acting
(delete selected, transitions with a reason), the dashboard, the password change, and the JavaScript
catalogue the admin's widgets read their texts from.
"""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

from tests.admin_chinese.crawl import (
    action_pages,
    admin_pages,
    context_of,
    english_words,
    first_filter_choice,
    visible_text,
)
from tests.admin_chinese.data import every_model
from tests.security.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world():
    w = build_world()
    every_model(w)
    # Login names are the one ASCII data a list of people shows: the world's are English words ("cadmin_a").
    get_user_model().objects.update(username=Concat(Value("用户"), Cast("pk", CharField())))
    return w


def _english_on(client, kind, url, data=None) -> list[str]:
    response = client.post(url, data) if data is not None else client.get(url, follow=True)
    if kind.endswith(" filter"):  # the list with its first filter's first choice
        query = first_filter_choice(response)
        if not query:
            return []
        kind, url = kind + "ed", url + query
        response = client.get(url, follow=True)
    if response.status_code != 200:
        return [f"{kind} {url}: status {response.status_code}"]
    if not response["Content-Type"].startswith("text/html"):  # a download (导出Excel): its headers are checked
        return []  # by the export tests
    found = []
    text = visible_text(response.content.decode())
    for word in sorted(set(english_words(text))):
        found.append(f"{kind} {url}: {word!r} in …{context_of(text, word)}…")
    return found


def _catalogue_english(client) -> list[str]:
    """The admin's JavaScript texts (two-list selectors, calendar, "Now"/"Today"): in Chinese, not empty."""
    body = client.get("/admin/jsi18n/").content.decode()
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\});", body, re.S).group(1))
    if "Choose all" not in catalogue:
        return ["/admin/jsi18n/: the catalogue has no Chinese for the selectors' 'Choose all'"]
    texts = [t for value in catalogue.values() for t in ([value] if isinstance(value, str) else value)]
    return [f"/admin/jsi18n/: {w!r}" for t in texts for w in english_words(re.sub(r"%\(\w+\)s|%s", "", t))]


@pytest.mark.parametrize("role", ["community_admin", "street_admin"])
def test_every_admin_page_a_staff_member_opens_is_in_chinese(client, world, role):
    user = world.users[role]
    client.force_login(user)

    pages, problems = admin_pages(user)
    found = [*problems, *_catalogue_english(client)]
    for kind, url in pages:
        found += _english_on(client, kind, url)
    actions = action_pages(user)
    for kind, url, data in actions:
        found += _english_on(client, kind, url, data)

    assert len(pages) > 100 and actions, pages  # the walk found the registry's pages
    assert not found, f"{len(found)} English words or pages:\n" + _summary(found)


def _summary(found: list[str]) -> str:
    """One line per distinct finding (the word in its context), with how many pages show it and the first."""
    seen: dict[str, list[str]] = {}
    lines = [line for line in found if " in …" not in line]  # pages that did not open, records missing
    for line in found:
        if line in lines:
            continue
        where, _, what = line.partition(": ")
        seen.setdefault(what, []).append(where)
    lines += [f"{what}   [{len(wheres)}× e.g. {wheres[0]}]" for what, wheres in seen.items()]
    return "\n".join(lines)
