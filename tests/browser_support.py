"""Browser tests (journeys, CSP, charts): Debian's headless Chromium driven by Playwright against Django's live server.

One browser per session; one fresh context (cookies, viewport) per page. ``phone_page`` is a
phone-sized screen with touch; ``desktop_page`` a laptop screen. ``login(page, user)`` signs in
through the real form; ``shot(page, name)`` keeps a screenshot in tests/artifacts/.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs its own event loop in this thread; Django's ORM would refuse to run
# beside it without this (the live server answers in its own thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
PASSWORD = "pass-word-123"  # tests.members.factories.UserFactory
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """``new_page(phone=False, user_agent=None)``: a page in its own context (own cookies), base URL the live
    server; ``user_agent`` stands in for another browser (WeChat's built-in one)."""
    contexts = []

    def make(*, phone: bool = False, user_agent: str | None = None):
        agent = {"user_agent": user_agent} if user_agent else {}
        context = browser.new_context(
            base_url=live_server.url,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            **(PHONE if phone else DESKTOP),
            **agent,
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.live_url = live_server.url
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def phone_page(new_page):
    return new_page(phone=True)


@pytest.fixture
def desktop_page(new_page):
    return new_page()


def login(page, user, *, admin: bool = False, password: str = PASSWORD):
    """Sign in through the portal's login form (or the admin's, ``admin=True``) as a person would."""
    page.goto("/admin/login/?next=/admin/" if admin else "/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.locator("form [type=submit]").first.click()
    if admin:
        assert page.url.rstrip("/").endswith("/admin"), f"admin login failed: {page.url}"
    else:
        assert "/accounts/login" not in page.url, f"login failed: {page.locator('body').inner_text()[:300]}"


def sign_in(page, user):
    """A quick sign-in: a real session cookie for ``user`` put in the page's context (the form is proven
    once by ``login``; journeys with several people save their page loads)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": page.live_url}]
    )


def shot(page, name: str) -> Path:
    """A full-page screenshot in tests/artifacts/<name>.png (kept by CI as an artifact)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
