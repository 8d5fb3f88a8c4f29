"""/bench/: the ceiling views of ``make bench`` (only when BENCH_CEILINGS=1; see alliance.site.bench_views).

No ``app_name``: the stock admin ceiling at /bench/admin/ brings its own namespace (app "admin", instance
"bench_admin"), which must sit at the top level for the admin's templates to reverse their links to it.
"""

from django.urls import path

from alliance.site import bench_views, bench_writes

urlpatterns = [
    path("page/", bench_views.ceiling_page, name="bench_page"),
    path("api/", bench_views.CeilingList.as_view(), name="bench_api"),
    path("admin/", bench_views.ceiling_admin.urls),
    path("write/", bench_writes.CeilingCreate.as_view(), name="bench_write"),
]
