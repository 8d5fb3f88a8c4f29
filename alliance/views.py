"""Portal shell: home, registration, the workspace entrance."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from alliance.cache import get_or_build
from alliance.forms import RegisterForm
from alliance.ratelimit import ratelimit_view
from alliance.selectors import HOME_GROUPS, cached_home_figures
from members.actions import register_resident

# The anonymous home page is the same for every visitor but for the CSRF token of the language form:
# rendered once per version of what it shows (HOME_GROUPS) and language with a placeholder token, the
# visitor's own token put in on the way out. HOME_PAGE_TTL bounds what time alone changes.
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
    # The figures are read only when the page's fragment is not cached (templates/portal/home.html).
    figures = SimpleLazyObject(cached_home_figures)
    if not _anonymous_home_cacheable(request):
        return render(request, "portal/home.html", {"figures": figures})

    def page():
        context = {"figures": figures, "csrf_token": _CSRF_PLACEHOLDER}
        return render(request, "portal/home.html", context).content.decode()

    html = get_or_build(f"home_page:{get_language()}", HOME_GROUPS, page, ttl=HOME_PAGE_TTL)
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
