"""Chinese left on a page rendered in English, and the pages to render.

``chinese_on(html)`` lists the texts a person sees that still hold a Chinese character or full-width punctuation:
text outside <script>/<style>, the title, placeholders, alternative texts, aria-labels, tooltips, button values,
``data-*`` attributes and ``json_script`` blocks (the texts scripts show: the page hands them over translated).
The language switch's own 「简体中文」 (Chinese named in Chinese) is the one Chinese a page in English shows.

``latin_world()`` is the district of tests/security/world.py with a record of every registered model
(tests/admin_chinese/data.py), then every text the database holds in Chinese rewritten in Latin letters
("Sunrise community 3"): data as people typed it, so any Chinese left on a page is interface text.
``portal_pages`` / ``workspace_pages`` / ``admin_pages`` are the paths to open, read from the URL patterns and
the admin registry, object ids from the world.
"""

import json
import re
from html.parser import HTMLParser
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.postgres.fields import ArrayField
from django.core.cache import cache
from django.db import models
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

from projects import categories
from tests.admin_chinese.crawl import admin_pages as all_admin_pages
from tests.admin_chinese.data import every_model
from tests.browser.test_accessibility import NOT_PAGES, PORTAL_NAMESPACES, WORKSPACE_NAMESPACES, _patterns
from tests.security.test_fuzz_pages import _fill
from tests.security.world import build_world

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60]")
SWITCH = {"简体中文"}  # the language switch names Chinese in Chinese, in every language
SKIP_TAGS = {"script", "style", "template", "noscript"}
ATTRIBUTES = ("title", "placeholder", "alt", "aria-label", "aria-description", "label")
BUTTON_TYPES = {"submit", "button", "reset"}
LANGUAGE_COOKIE = "django_language"


class _Seen(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.skipping = 0
        self.json = False
        self.hidden_input = False

    def handle_starttag(self, tag, attrs):
        values = {name: value or "" for name, value in attrs}
        if tag == "script" and values.get("type") == "application/json":
            self.json = True  # {{ texts|json_script }}: read below
        if tag in SKIP_TAGS:
            self.skipping += 1
            return
        self.texts += [values[name] for name in ATTRIBUTES if values.get(name)]
        self.texts += [value for name, value in values.items() if name.startswith("data-") and value]
        if tag == "input" and values.get("type") in BUTTON_TYPES and values.get("value"):
            self.texts.append(values["value"])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in SKIP_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in SKIP_TAGS and self.skipping:
            self.skipping -= 1
        if tag == "script":
            self.json = False

    def handle_data(self, data):
        if self.json:
            self.texts += strings_in(_json_or_text(data))
        elif not self.skipping and data.strip():
            self.texts.append(data.strip())


def _json_or_text(data: str) -> Any:
    try:
        return json.loads(data)
    except ValueError:
        return data


def strings_in(value: Any) -> list[str]:
    """Every string inside a JSON value (an API answer, a json_script block)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in strings_in(item)]
    if isinstance(value, list):
        return [s for item in value for s in strings_in(item)]
    return []


def seen_texts(html: str) -> list[str]:
    parser = _Seen()
    parser.feed(html)
    parser.close()
    return parser.texts


def chinese_in(texts: list[str]) -> list[str]:
    """The texts holding Chinese, one line each, shortened, in page order without repeats."""
    found: dict[str, None] = {}
    for text in texts:
        for line in text.splitlines():
            line = line.strip()
            if CJK.search(line) and line not in SWITCH:
                found[line if len(line) <= 80 else line[:77] + "…"] = None
    return list(found)


def chinese_on(html: str) -> list[str]:
    return chinese_in(seen_texts(html))


# --- the world ------------------------------------------------------------------------------------------------

CJK_SQL = "[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60]"


def _latin(model, field, pk, n: int = 0) -> str:
    text = f"Sunrise {model._meta.model_name} {pk}" + (f" {n}" if n else "")
    if field.max_length and len(text) > field.max_length:
        text = f"S{pk}"[: field.max_length]
    return text


def _latin_json(value: Any, label: str, counter: list[int]) -> Any:
    if isinstance(value, str) and CJK.search(value):
        counter[0] += 1
        return f"{label} {counter[0]}"
    if isinstance(value, dict):
        return {k: _latin_json(v, label, counter) for k, v in value.items()}
    if isinstance(value, list):
        return [_latin_json(v, label, counter) for v in value]
    return value


def latinize() -> int:
    """Every Chinese text in the database rewritten in Latin letters; how many values changed."""
    changed = 0
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        manager = model._base_manager
        for field in model._meta.concrete_fields:
            if field.primary_key or field.choices or field.is_relation:
                continue
            if isinstance(field, models.CharField | models.TextField):
                pks = manager.filter(**{f"{field.attname}__regex": CJK_SQL}).values_list("pk", flat=True)
                for pk in list(pks):
                    manager.filter(pk=pk).update(**{field.attname: _latin(model, field, pk)})
                    changed += 1
            elif isinstance(field, models.JSONField | ArrayField):
                for pk, value in list(
                    manager.exclude(**{f"{field.attname}__isnull": True}).values_list("pk", field.attname)
                ):
                    new = _latin_json(value, "Option", [0])
                    if new != value:
                        manager.filter(pk=pk).update(**{field.attname: new})
                        changed += 1
    return changed


def latin_world():
    w = build_world()
    every_model(w)
    get_user_model().objects.update(username=Concat(Value("user"), Cast("pk", CharField())))
    latinize()
    cache.clear()  # pages and lists cached while the world was built in Chinese
    categories.forget()  # and the categories this process keeps (latinize writes by update(), which sends no signal)
    return w


# --- the pages ------------------------------------------------------------------------------------------------


def _routes(namespaces) -> list[str]:
    routes = []
    for namespace, name, pattern in _patterns():
        full = f"{namespace}:{name}" if namespace else name
        if namespace not in namespaces or name in NOT_PAGES or full in NOT_PAGES:
            continue
        if pattern.startswith(("api/", "media/", "admin/", "i18n/", "channels/")):
            continue
        if pattern.startswith("workspace/") != (namespaces is WORKSPACE_NAMESPACES):
            continue
        routes.append(pattern)
    return list(dict.fromkeys(routes))


def portal_pages(world) -> list[str]:
    """Every GET page of the portal's namespaces, object ids from the world (a page not for a person is skipped
    when it answers 403/404/302)."""
    return [_fill(route, world) for route in _routes(PORTAL_NAMESPACES)]


def workspace_pages(world) -> list[str]:
    return [_fill(route, world) for route in _routes(WORKSPACE_NAMESPACES)]


ADMIN_KINDS = ("index", "dashboard", "changelist", "add", "change")


def admin_pages(user) -> list[str]:
    """The index (今日待办), the dashboard, every registered model's change list, add form and change form."""
    pages, _ = all_admin_pages(user)
    return [url for kind, url in pages if kind.split(" ")[-1] in ADMIN_KINDS]
