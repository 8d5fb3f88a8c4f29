"""Portal shell: home and the workspace entrance (accounts: alliance.site.account_views)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from alliance.committee.selectors import HOME_GROUPS, cached_home_figures
from alliance.core.cache import get_or_build
from alliance.site.portal_views import lands_on_services, resident_home

# The anonymous home page is the same for every visitor but for the CSRF token of the language form:
# rendered once per version of what it shows (HOME_GROUPS) and language with a placeholder token, the
# visitor's own token put in on the way out. HOME_PAGE_TTL bounds what time alone changes.
HOME_PAGE_TTL = 60
# The top bar's red (static/css/portal.css --red): the phone's status bar and the installed app's title bar.
THEME_COLOR = "#c62828"
_CSRF_PLACEHOLDER = "__home_csrf__"


def _anonymous_home_cacheable(request) -> bool:
    # A session or a messages cookie may mean a flash message to show to this visitor only.
    return (
        not request.user.is_authenticated
        and not request.GET
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def home(request):
    """The alliance's figures; a signed-in resident lands on their services instead."""
    if lands_on_services(request.user):
        return resident_home(request)
    # The figures are read only when the page's fragment is not cached (templates/portal/home.html).
    figures = SimpleLazyObject(cached_home_figures)
    if not _anonymous_home_cacheable(request):
        return render(request, "portal/home.html", {"figures": figures})

    def page():
        context = {"figures": figures, "csrf_token": _CSRF_PLACEHOLDER}
        return render(request, "portal/home.html", context).content.decode()

    html = get_or_build(f"home_page:{get_language()}", HOME_GROUPS, page, ttl=HOME_PAGE_TTL)
    return HttpResponse(html.replace(_CSRF_PLACEHOLDER, get_token(request)))


@login_required
def workspace(request):
    """The entrance of the workspace: what this account can do, by role."""
    return render(request, "workspace/index.html", {})


def web_manifest(request):
    """The web app manifest: the portal added to a phone's home screen opens full-screen at the home page."""
    icon = {"type": "image/png"}
    manifest = {
        "name": _("红色联盟 · 区域化党建服务"),
        "short_name": _("红色联盟"),
        "description": _("街道大工委区域化党建红色联盟：居民点单、居民说事、三清单认领。"),
        "lang": "zh-CN",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": "#ffffff",
        "icons": [
            {**icon, "src": static("img/icon-192.png"), "sizes": "192x192", "purpose": "any"},
            {**icon, "src": static("img/icon-512.png"), "sizes": "512x512", "purpose": "any"},
            {**icon, "src": static("img/icon-maskable-512.png"), "sizes": "512x512", "purpose": "maskable"},
        ],
    }
    response = JsonResponse(
        manifest, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )
    response["Cache-Control"] = "public, max-age=86400"
    return response
