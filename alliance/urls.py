"""URLs: the portal at /, the workspace at /workspace/, the admin, the API at /api/v1/, /healthz."""

import importlib
import os

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from alliance.assessment import portal_urls as assessment_urls
from alliance.committee import portal_urls as committee_urls
from alliance.core import admin_security, api_errors, auth_api, health  # noqa: F401 - admin_security registers
from alliance.core.api_atomic import atomic_patterns
from alliance.core.api_routes import by_collection
from alliance.site import dashboard, privacy_views, stats_urls, unit_views, views

# admin.site is alliance.site.admin_site.AllianceAdminSite (its headers, 今日待办, the grouped app list).
dashboard.install(admin.site)  # the statistics dashboard at /admin/dashboard/

# Each app lists its API collections in ``<app>/api.py`` as ROUTES = [(prefix, viewset, basename)].
API_MODULES = (
    "grids.api",
    "members.api",
    "alliance.committee.api",
    "projects.api",
    "services.api",
    "alliance.volunteering.api",
    "alliance.proposals.api",
    "alliance.surveys.api",
    "alliance.following.api",
    "alliance.site.stats_api",
    "alliance.points.api",
    "alliance.assessment.api",
)
router = DefaultRouter()
for module in API_MODULES:
    for prefix, viewset, basename in importlib.import_module(module).ROUTES:
        router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("manifest.webmanifest", views.web_manifest, name="web-manifest"),
    path("accounts/privacy/", privacy_views.privacy, name="privacy"),
    path("accounts/privacy/export.json", privacy_views.export_json, name="privacy-export-json"),
    path("accounts/privacy/export.xlsx", privacy_views.export_excel, name="privacy-export-excel"),
    path("accounts/privacy/erase/", privacy_views.erase, name="privacy-erase"),
    path("accounts/", include("alliance.site.account_urls")),
    path("workspace/", views.workspace, name="workspace"),
    path("workspace/committee/", include("alliance.committee.workspace_urls")),
    path("workspace/lists/", include("projects.workspace_urls")),
    path("workspace/services/", include("services.workspace_urls")),
    path("workspace/unit/", include("members.workspace_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/auth/token/", auth_api.obtain_token, name="api-token"),
    path("api/v1/auth/logout/", auth_api.logout, name="api-logout"),
    path("api/v1/", include(by_collection(atomic_patterns(router.urls)))),  # every API write is one transaction
    re_path(r"^api/v1/(?:[\s\S]+/)?$", api_errors.not_found),  # after every operation: a JSON 404
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's init script as its own request: no inline script (CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("grid/", include("grids.urls")),
    path("members/", include("members.urls")),
    path("units/", unit_views.units, name="units"),
    path("units/<int:pk>/", unit_views.unit, name="unit"),
    path(
        "alliance/",
        include((committee_urls.urlpatterns + stats_urls.urlpatterns + assessment_urls.urlpatterns, "alliance")),
    ),
    path("lists/", include("projects.urls")),
    path("services/", include("services.urls")),
    path("volunteering/", include("alliance.volunteering.urls")),  # 双报到
    path("surveys/", include("alliance.surveys.urls")),  # 需求征集, 满意度测评, 评选
    path("proposals/", include("alliance.proposals.urls")),  # 微建议
    path("follow/", include("alliance.following.urls")),  # 关注社区: follows, digests, Atom feeds
    path("channels/", include("alliance.core.channels.urls")),  # SMS receipts, WeChat sign-in
    path("", include("alliance.site.portal_urls")),  # the resident's phone: /me/, /map/
]

if not settings.PRODUCTION:
    # Uploaded photos; in production the reverse proxy serves MEDIA_ROOT.
    urlpatterns.append(path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}))

if os.environ.get("BENCH_CEILINGS") == "1":  # make bench: the ceiling views (alliance.site.bench_views)
    urlpatterns.append(path("bench/", include("alliance.site.bench_urls")))

# Error pages in Chinese in the site's layout (JSON under /api/): alliance.core.error_views.
handler400 = "alliance.core.error_views.bad_request"
handler403 = "alliance.core.error_views.permission_denied"
handler404 = "alliance.core.error_views.page_not_found"
handler500 = "alliance.core.error_views.server_error"
