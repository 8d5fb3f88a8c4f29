"""WeChat sign-in in the WeChat browser (网页授权): binds the person's OpenID, or signs in a bound person.

``/channels/wechat/login/?next=…`` keeps a one-time ``state`` in the session and sends the browser to
WeChat; WeChat comes back to ``/channels/wechat/callback/?code=…&state=…``. The callback checks the state
against the session, exchanges the code for the OpenID, then binds it to the signed-in account, or signs
in the account it is bound to. Every parameter goes through a form; a bad one is a 400 page in Chinese.
"""

import hmac
import secrets

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from alliance.core.channels import binding, wechat
from alliance.core.inputs import LineFormField
from alliance.core.models import NotificationPreference
from alliance.core.querying import QueryForm, read_query

SESSION_KEY = "wechat_oauth"
PREFERENCES = "services:notification_preferences"


class LoginQuery(QueryForm):
    next = LineFormField(max_length=300, required=False, initial="")


class CallbackQuery(forms.Form):
    code = LineFormField(max_length=128)
    state = LineFormField(max_length=64)


def enabled() -> bool:
    return bool(settings.WECHAT_APP_ID and settings.WECHAT_APP_SECRET)


def in_wechat(request) -> bool:
    """Whether the page is open in WeChat's built-in browser, the only one WeChat's authorisation answers."""
    return "MicroMessenger" in request.headers.get("User-Agent", "")


def _callback_uri(request) -> str:
    path = reverse("channels:wechat-callback")
    site = settings.SITE_URL.rstrip("/")
    return f"{site}{path}" if site else request.build_absolute_uri(path)


def _safe_next(request, value: str) -> str:
    ok = value and url_has_allowed_host_and_scheme(value, {request.get_host()}, require_https=request.is_secure())
    return value if ok else ""


def _refused(request, message: str, status: int = 400):
    return render(request, "channels/wechat_refused.html", {"message": message}, status=status)


@require_GET
def wechat_login(request):
    """Send the browser to WeChat's authorisation, remembering a one-time state and where to go after."""
    if not enabled():
        return _refused(request, _("本站点尚未开通微信登录。"), status=404)
    query = read_query(request, LoginQuery)
    state = secrets.token_urlsafe(24)
    request.session[SESSION_KEY] = {"state": state, "next": _safe_next(request, query.value("next"))}
    return redirect(wechat.authorize_url(redirect_uri=_callback_uri(request), state=state))


@require_GET
def wechat_callback(request):
    """WeChat's answer: check the state, exchange the code, then bind or sign in."""
    if not enabled():
        return _refused(request, _("本站点尚未开通微信登录。"), status=404)
    expected = request.session.pop(SESSION_KEY, None)  # one use, whatever happens next
    form = CallbackQuery(request.GET)
    if not form.is_valid():
        return _refused(request, _("微信授权未完成或已取消，请重新操作。"))
    state = expected.get("state", "") if isinstance(expected, dict) else ""
    if not state or not hmac.compare_digest(form.cleaned_data["state"].encode(), str(state).encode()):
        return _refused(request, _("授权已失效，请重新点击“微信登录”或“绑定微信”。"))
    try:
        openid = wechat.openid_for(form.cleaned_data["code"], redirect_uri=_callback_uri(request))
    except wechat.OAuthFailed:
        return _refused(request, _("微信授权失败，请稍后重试。"), status=502)
    target = expected.get("next") or ""
    if request.user.is_authenticated:
        try:
            binding.bind_wechat(by=request.user, openid=openid)
        except ValidationError as exc:
            return _refused(request, "".join(exc.messages), status=409)
        messages.success(request, _("微信已绑定，消息将发送到您的微信。"))
        return redirect(target or PREFERENCES)
    account = binding.account_for_openid(openid)
    if account is None:
        messages.info(request, _("这个微信还没有绑定账号。请先用账号密码登录，再在“消息接收设置”中绑定微信。"))
        return redirect(f"{reverse('login')}?next={reverse(PREFERENCES)}")
    login(request, account, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("已通过微信登录。"))
    return redirect(target or "home")


@require_POST
def wechat_unbind(request):
    """The signed-in person clears their own binding (staff clear others' in the admin)."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('login')}?next={reverse(PREFERENCES)}")
    preference = get_object_or_404(NotificationPreference, user=request.user)
    binding.unbind_wechat(by=request.user, preference=preference)
    messages.success(request, _("已解除微信绑定。"))
    return redirect(PREFERENCES)
