import pytest

from tests.projects.factories import ensure_categories


@pytest.fixture(autouse=True)
def _fast_passwords_and_categories(settings, db):
    # Users are created by the dozen here; the production hasher would cost ~0.3 s each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ensure_categories()
