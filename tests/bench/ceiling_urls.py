"""The site's URLs with the bench's ceilings, as alliance/urls.py mounts them when BENCH_CEILINGS=1 (tests only)."""

from django.urls import include, path

from alliance.urls import urlpatterns as site_urlpatterns

urlpatterns = [*site_urlpatterns, path("bench/", include("alliance.site.bench_urls"))]
