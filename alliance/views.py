"""Portal shell: home, registration, the workspace entrance."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils.translation import get_language

from alliance.forms import RegisterForm
from alliance.ratelimit import ratelimit_view
from alliance.selectors import cached_home_figures, home_figures_version
from members.actions import register_resident

log = logging.getLogger(__name__)

# The anonymous home page is the same for every visitor but for the CSRF token of the language form:
# rendered once per figures version and language with a placeholder token, the visitor's own token
# put in on the way out. Sections other apps add to the home page show changes within HOME_PAGE_TTL.
HOME_PAGE_TTL = 60
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
    if not _anonymous_home_cacheable(request):
        return render(request, "portal/home.html", {"figures": cached_home_figures()})
    try:
        key = f"home_page:{home_figures_version()}:{get_language()}"
        html = cache.get(key)
    except Exception:  # the cache is an optimisation; the page must not depend on it
        log.warning("home page: cache unavailable", exc_info=True)
        return render(request, "portal/home.html", {"figures": cached_home_figures()})
    if html is None:
        context = {"figures": cached_home_figures(), "csrf_token": _CSRF_PLACEHOLDER}
        html = render(request, "portal/home.html", context).content.decode()
        try:
            cache.set(key, html, HOME_PAGE_TTL)
        except Exception:
            log.warning("home page: cache unavailable", exc_info=True)
    return HttpResponse(html.replace(_CSRF_PLACEHOLDER, get_token(request)))


@ratelimit_view("register")
def register(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = register_resident(
                phone=form.cleaned_data["phone"],
                password=form.cleaned_data["password1"],
                display_name=form.cleaned_data["display_name"],
                grid_node=form.cleaned_data["grid_node"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                target = "password1" if field == "password" else field
                for error in errors:
                    form.add_error(target if target in form.fields else None, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "注册成功,欢迎加入红色联盟!")
            return redirect("home")
    return render(request, "registration/register.html", {"form": form})


@login_required
def workspace(request):
    """The entrance of the workspace: what this account can do, by role."""
    return render(request, "workspace/index.html", {})
