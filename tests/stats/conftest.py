import pytest


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # Factories set a password for every account; the production hasher costs ~0.3 s each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
