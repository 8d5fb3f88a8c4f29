import pytest


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # Factories set a password for every account; the production hasher costs ~0.3 s each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_content_types():
    # Points entries name their source by content type; a transactional test's flush and restore can
    # give the content types new ids, so the in-memory cache must not outlive a test.
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()
