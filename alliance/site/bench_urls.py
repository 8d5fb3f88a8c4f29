"""/bench/: the ceiling views of ``make bench`` (only when BENCH_CEILINGS=1; see alliance.site.bench_views)."""

from django.urls import path

from alliance.site import bench_views, bench_writes

app_name = "bench"
urlpatterns = [
    path("page/", bench_views.ceiling_page, name="page"),
    path("api/", bench_views.CeilingList.as_view(), name="api"),
    path("write/", bench_writes.CeilingCreate.as_view(), name="write"),
]
