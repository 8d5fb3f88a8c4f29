import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # A dozen accounts per world; the production hasher would cost ~0.3 s each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# The browser fixtures of tests/browser (Debian's Chromium through Playwright), for test_csp_browser.
