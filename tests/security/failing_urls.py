"""A URLconf whose views fail, to see the 500 page a user would get (tests/security/test_query_input.py)."""

from django.urls import path

from alliance.urls import handler400, handler403, handler404, handler500  # noqa: F401 - the site's handlers


def boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", boom), path("api/boom/", boom)]
