"""The content security policy in a real browser: /api/docs/, the portal and the admin run their scripts
with no CSP violation (Debian's Chromium through Playwright, as tests/browser)."""

import pytest

from tests.browser_support import sign_in


def _watch(page) -> list[str]:
    problems = []
    # Failed loads are caught by the response hook below; Chromium's own /favicon.ico probe is not a page's.
    page.on(
        "console",
        lambda m: (
            problems.append(m.text) if m.type == "error" and not m.text.startswith("Failed to load resource") else None
        ),
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    return problems


@pytest.mark.django_db(transaction=True)
def test_api_docs_portal_and_admin_work_under_the_csp(new_page, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from tests.members.factories import UserFactory

    page = new_page()
    problems = _watch(page)

    page.goto("/api/docs/")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "红色联盟 API" in page.locator(".swagger-ui .info .title").inner_text()
    # The schema was fetched and drawn. With this many operations Swagger UI virtualises the list: it draws the
    # groups on the screen only, so scroll through and collect the groups drawn on the way.
    page.locator(".opblock-tag").nth(2).wait_for()
    seen = set()
    for _ in range(80):
        seen.update(page.evaluate("[...document.querySelectorAll('[id^=operations-tag-]')].map(e => e.id)"))
        page.mouse.move(400, 400)
        page.mouse.wheel(0, 500)
        page.wait_for_timeout(50)
    assert len(seen) > 10, seen

    page.goto("/")
    with page.expect_navigation():
        page.select_option("#lang-select", "en")  # static/js/portal.js submits the form
    assert page.locator("html").get_attribute("lang") == "en"
    with page.expect_navigation():
        page.select_option("#lang-select", "zh-hans")

    sign_in(page, UserFactory(username="root", is_superuser=True))
    page.goto("/admin/members/user/")
    page.locator("#action-toggle").check()  # the admin's actions.js
    assert page.locator("#changelist .selected").count() >= 1

    assert [p for p in problems if "Content Security Policy" in p or "Refused" in p] == []
    assert problems == []
