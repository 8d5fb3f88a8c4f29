"""The page fuzzer: every portal and workspace URL, as every role that may open it, with hostile query
strings and hostile form posts. No answer may be a 5xx.

How it works:

1. The URL resolver is walked: every pattern outside /admin/, /api/, static and media files (so pages
   added later are fuzzed too). Path ids come from real factory-built records (``build_world``): the
   segment before ``<int:pk>`` names the record (``orders`` → an order, ``grid`` → a micro-grid …).
2. Each role (anonymous, resident, party member, unit operator, grid worker, community admin, street
   admin) GETs each page once; a role that gets a 200 "may open it" and fuzzes it.
3. GET fuzz: the parameters a page reads are gathered from the QueryForms and FilterSets its view's
   module uses, plus a generic list. One request per hostile value sets EVERY parameter (rotated, so
   each parameter meets each value), one request repeats every parameter (arrays), and the path ids
   are tried with 0 and ids past a bigint.
4. POST fuzz: the forms of each page opened (parsed from its HTML, CSRF token kept, the client enforcing
   CSRF) are posted with hostile values in every field, twice per role and form.
5. The admin's statistics pages (the dashboard and its export, the committees' statistics) get the same
   GET fuzz as community and street admins.

The number of requests is printed (about 1,900 here); it must stay under ~3 minutes on 2 cores.
"""

import html.parser
import inspect
import logging
import sys
import time
from urllib.parse import urljoin, urlsplit

import django_filters
import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from alliance.core.querying import QueryForm
from tests.news.factories import ArticleFactory
from tests.security.world import build_world

ROLES = ("anonymous", "resident", "party_member", "unit_operator", "grid_worker", "community_admin", "street_admin")
SKIP_PREFIXES = ("admin/", "api/", "static/", "media/", "healthz", "i18n/", "__", "bench/")
# Posting these would end the session or erase the account the rest of the run uses.
SKIP_POSTS = ("/accounts/logout/", "/accounts/privacy/erase/", "/i18n/setlang/")

GENERIC_PARAMS = [
    "page", "q", "year", "month", "period", "date", "start", "end", "street", "community", "grid_node",
    "category", "kind", "status", "node", "committee", "export", "unit", "past", "unread", "preset",
    "under", "area", "serves", "next", "day",
]  # fmt: skip

HOSTILE = [
    "\x00",
    "a\x00b",
    "x" * 5000,
    "0",
    "-1",
    "99999",
    "99999999999999999999999",
    "abc",
    "2024-13-01",
    "0000-01-01",
    "10000-01-01",
    "9999-12-31",
    "9999-12-31T23:59:59",
    "0001-01-01T00:00:00",
    "2024-02-30T10:00",
    "2024-05-01T08:00:00",
    "2024-05-01T25:61:00+08:00",
    "9999-12",
    "0000-00",
    "²",
    "１２",
    "1.5",
    "NaN",
    "1e999",
    "' OR 1=1 --",
    "'; DROP TABLE members_user; --",
    "<script>alert(1)</script>",
    "网格\u202e\u200b",
    "%00",
    " ",
]
POST_VALUES = ["\x00", "y" * 5000, "-1", "2024-13-01T25:00", "9999-12-31T23:59:59", "0000-01-01", "\u202e²"]

# Pages of the admin that read the query string (the rest of /admin/ is Django's own).
ADMIN_PAGES = [
    ("/admin/dashboard/", "alliance.site.dashboard"),
    ("/admin/alliance/committee/statistics/", "alliance.committee.portal_views"),
]

PATH_RECORDS = {
    "committees": "committee",
    "meetings": "meeting",
    "matters": "matter",
    "news": "article",
    "grid": "micro_grid",
    "resources": "resource",
    "needs": "need",
    "projects": "project",
    "claims": "claim",
    "wishes": "wish",
    "menu": "menu_item",
    "orders": "order",
    "issues": "issue",
    "stations": "station",
    "rooms": "room",
    "bookings": "booking",
    "activities": "activity",
    "units": "unit",
    "feedback": "feedback_sheet",
    "pairings": "pairing",
    "follow": "follow",
    "digests": "digest",
    "feeds": "community",
    "proposals": "proposal",
    "surveys": "survey",
    "board": "public_issue",
    "selections": "selection",
}


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def _params_of(module_name: str) -> list[str]:
    """The query parameters a view reads: fields of the QueryForms and FilterSets of its module."""
    module = sys.modules.get(module_name)
    names: set[str] = set()
    for obj in vars(module).values() if module else ():
        if inspect.isclass(obj) and issubclass(obj, QueryForm) and obj is not QueryForm:
            names |= set(obj.base_fields)
        elif inspect.isclass(obj) and issubclass(obj, django_filters.FilterSet) and obj._meta.model is not None:
            names |= set(obj.base_filters)
    return sorted(names)


def _fill(route: str, world, pk_override=None) -> str:
    """The route with its converters filled from the world's records."""
    parts = route.split("/")
    out = []
    for i, part in enumerate(parts):
        if part.startswith("<int:"):
            record = getattr(world, PATH_RECORDS.get(parts[i - 1] if i else "", ""), None)
            out.append(str(pk_override if pk_override is not None else (record.pk if record else 1)))
        elif part.startswith("<str:") or part.startswith("<slug:"):
            out.append("claim")
        elif part.startswith("<"):
            out.append("1")
        else:
            out.append(part)
    return "/" + "/".join(out)


class _Forms(html.parser.HTMLParser):
    """The POST forms of a page: (action, {field name: current value})."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict]] = []
        self._current = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if (attrs.get("method") or "get").lower() == "post":
                self._current = (attrs.get("action") or "", {})
                self.forms.append(self._current)
            else:
                self._current = None
        elif self._current is not None and tag in ("input", "select", "textarea", "button") and attrs.get("name"):
            self._current[1].setdefault(attrs["name"], attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


class _Run:
    def __init__(self, world):
        self.world = world
        self.clients = {}
        for role in ROLES:
            client = Client(enforce_csrf_checks=True, raise_request_exception=False)
            user = world.users[role]
            if user is not None:
                client.force_login(user)
            self.clients[role] = client
        self.requests = 0
        self.failures: list[str] = []

    def _check(self, response, role, method, url, data):
        self.requests += 1
        if response.status_code >= 500:
            exc = getattr(response, "exc_info", None)
            cause = f"{exc[0].__name__}: {str(exc[1])[:200]}" if exc else ""
            shown = {k: (v[:40] + "…" if isinstance(v, str) and len(v) > 40 else v) for k, v in (data or {}).items()}
            self.failures.append(f"{response.status_code} {method} {url} as {role} with {shown!r} {cause}")
            print("5xx:", self.failures[-1], flush=True)
        return response

    def get(self, role, url, params=None):
        response = self.clients[role].get(url, params or {})
        return self._check(response, role, "GET", url, params)

    def post(self, role, url, data):
        response = self.clients[role].post(url, data)
        return self._check(response, role, "POST", url, data)


def _rotated(params: list[str], i: int) -> dict:
    """Hostile query number ``i``: every parameter set, each to a different value."""
    return {name: HOSTILE[(i + j) % len(HOSTILE)] for j, name in enumerate(params)}


def _arrays(params: list[str]) -> dict:
    return {name: ["1", "abc", "\x00"] for name in params}


def _is_page(response) -> bool:
    return response.status_code in (200, 400) and "html" in response.get("Content-Type", "")


@pytest.mark.django_db
def test_no_page_answers_5xx_to_hostile_query_strings_or_forms(settings, caplog):
    caplog.set_level(logging.CRITICAL, logger="django.request")  # thousands of 400s and 404s, logged
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = build_world()
    world.article = ArticleFactory()
    run = _Run(world)
    started = time.monotonic()
    pages = [(route, p) for route, p in _walk(get_resolver().url_patterns) if not route.startswith(SKIP_PREFIXES)]
    posted: set[tuple] = set()
    opened = 0
    for route, pattern in pages:
        url = _fill(route, world)
        declared = _params_of(getattr(pattern.callback, "__module__", ""))
        params = sorted(set(declared) | set(GENERIC_PARAMS))
        if "<int:" in route:  # ids past a bigint, and zero
            for pk in (0, 10**30):
                run.get("anonymous", _fill(route, world, pk))
        openers = []
        for index, role in enumerate(ROLES):
            # The first visit of each role is hostile already: rotated values, a different one per role.
            first = run.get(role, url, _rotated(params, index * 4))
            if not _is_page(first):
                continue
            opened += 1
            openers.append(role)
            _post_forms(run, role, url, first, posted)  # a refused query still shows the page and its forms
        if declared and openers:
            # Every parameter meets every hostile value once (spread over the roles that open the page),
            # then every parameter repeated (arrays).
            for i in range(len(HOSTILE)):
                run.get(openers[i % len(openers)], url, _rotated(params, i))
            run.get(openers[-1], url, _arrays(params))
    for url, module in ADMIN_PAGES:  # the statistics pages of the admin read the query string too
        params = sorted(set(_params_of(module)) | set(GENERIC_PARAMS))
        for i in range(len(HOSTILE)):
            run.get(("community_admin", "street_admin")[i % 2], url, _rotated(params, i))
        run.get("street_admin", url, _arrays(params))
    elapsed = time.monotonic() - started
    # About 2,400 requests (83 URL patterns, 330 page-role pairs opened, 67 form-role pairs posted): each URL
    # once per role (hostile), every value on every parameter of each page that reads any, each form of
    # each page per role twice, ids 0 and past a bigint.
    print(
        f"\npage fuzzer: {len(pages)} URL patterns, {opened} (page, role) pairs opened, "
        f"{len(posted)} (form, role) pairs posted, {run.requests} requests in {elapsed:.0f} s, "
        f"{len(run.failures)} 5xx"
    )
    assert not run.failures, "5xx answers:\n" + "\n".join(run.failures)


def _post_forms(run, role, url, response, posted) -> None:
    """Post each form of the page (CSRF token kept) with hostile values in every field, twice."""
    if not _is_page(response):
        return
    forms = _Forms()
    forms.feed(response.content.decode("utf-8", "replace"))
    for action, fields in forms.forms:
        target = urljoin(url, action) if action else url
        if urlsplit(target).netloc or target.startswith(SKIP_POSTS):
            continue
        key = (role, urlsplit(target).path, tuple(sorted(fields)))
        if key in posted:
            continue
        posted.add(key)
        token = fields.get("csrfmiddlewaretoken", "")
        for i in range(2):
            data = {
                name: POST_VALUES[(len(posted) + i + j) % len(POST_VALUES)]
                for j, name in enumerate(fields)
                if name != "csrfmiddlewaretoken"
            }
            data["csrfmiddlewaretoken"] = token
            run.post(role, target, data)
