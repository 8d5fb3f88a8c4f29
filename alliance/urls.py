"""URLs: the portal at /, the workspace at /workspace/, the admin, the API at /api/v1/, /healthz."""

import importlib
import os

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from alliance import admin_security, api_errors, auth_api, health, privacy_views, views  # noqa: F401 - admin_security registers
from alliance.api_atomic import atomic_patterns

admin.site.site_header = "红色联盟 · 管理后台"
admin.site.site_title = "红色联盟管理后台"
admin.site.index_title = "街道区域化党建工作台"

# Each app lists its API collections in ``<app>/api.py`` as ROUTES = [(prefix, viewset, basename)].
API_APPS = ("grids", "members", "alliance", "projects", "services")
router = DefaultRouter()
for app_name in API_APPS:
    for prefix, viewset, basename in importlib.import_module(f"{app_name}.api").ROUTES:
        router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("accounts/privacy/", privacy_views.privacy, name="privacy"),
    path("accounts/privacy/export.json", privacy_views.export_json, name="privacy-export-json"),
    path("accounts/privacy/export.xlsx", privacy_views.export_excel, name="privacy-export-excel"),
    path("accounts/privacy/erase/", privacy_views.erase, name="privacy-erase"),
    path("accounts/", include("alliance.account_urls")),
    path("workspace/", views.workspace, name="workspace"),
    path("workspace/committee/", include("alliance.workspace_urls")),
    path("workspace/lists/", include("projects.workspace_urls")),
    path("workspace/services/", include("services.workspace_urls")),
    path("workspace/unit/", include("members.workspace_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/auth/token/", auth_api.obtain_token, name="api-token"),
    path("api/v1/auth/logout/", auth_api.logout, name="api-logout"),
    path("api/v1/", include(atomic_patterns(router.urls))),  # every API write is one transaction
    re_path(r"^api/v1/(?:[\s\S]+/)?$", api_errors.not_found),  # after every operation: a JSON 404
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's init script as its own request: no inline script (CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("grid/", include("grids.urls")),
    path("members/", include("members.urls")),
    path("alliance/", include("alliance.portal_urls")),
    path("lists/", include("projects.urls")),
    path("services/", include("services.urls")),
]

if not settings.PRODUCTION:
    # Uploaded photos; in production the reverse proxy serves MEDIA_ROOT.
    urlpatterns.append(path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}))

if os.environ.get("BENCH_CEILINGS") == "1":  # make bench: the ceiling views (alliance.bench_views)
    urlpatterns.append(path("bench/", include("alliance.bench_urls")))

# Error pages in Chinese in the site's layout (JSON under /api/): alliance.error_views.
handler400 = "alliance.error_views.bad_request"
handler403 = "alliance.error_views.permission_denied"
handler404 = "alliance.error_views.page_not_found"
handler500 = "alliance.error_views.server_error"
