"""Accounts in the portal: registration and password reset by SMS code, the profile page, password change.

Neither registration nor the reset says whether a number is registered: the page answers the same,
and only the text message to the number itself tells its owner (members.actions).
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from alliance.core.inputs import add_errors, submit_form
from alliance.core.privacy import mask_phone
from alliance.core.ratelimit import client_address, ratelimit_view
from alliance.site.forms import PhoneForm, ProfileForm, RegisterForm, ResetPasswordForm
from members import actions
from members.codes import TooManyCodes

REGISTER_SESSION_KEY = "register_phone"
RESET_SESSION_KEY = "reset_phone"

# The actions' ``password`` errors go under the first password field; the number is shown above the form.
PASSWORD_ERRORS = {"password": "password1", "phone": None}


def _ask_for_code(request, send, session_key: str, template: str, context: dict):
    """Step one of registration and of the reset: a number; the code is texted; on to step two."""
    form = PhoneForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            phone = send(phone=form.cleaned_data["phone"], client_address=client_address(request))
        except TooManyCodes as exc:
            form.add_error(None, exc.messages[0])
            status = 429
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            request.session[session_key] = phone
            return None, phone
    return render(request, template, {"form": form, **context}, status=status), None


@ratelimit_view("register")
def register(request):
    """Registration, step one: the mobile number gets a code (or, if registered, a hint to reset)."""
    if request.user.is_authenticated:
        return redirect("home")
    response, phone = _ask_for_code(
        request, actions.request_register_code, REGISTER_SESSION_KEY, "registration/register.html", {}
    )
    if response is not None:
        return response
    messages.info(
        request,
        _("短信已发送至 %(phone)s，请填写其中的验证码。如果该号码已注册，短信会提示您直接登录或找回密码。")
        % {"phone": mask_phone(phone)},
    )
    return redirect("register_verify")


@ratelimit_view("register")
def register_verify(request):
    """Registration, step two: the code, then the account."""
    if request.user.is_authenticated:
        return redirect("home")
    phone = request.session.get(REGISTER_SESSION_KEY)
    if not phone:
        return redirect("register")
    form = RegisterForm(request.POST or None)

    def register(data):
        return actions.register_resident(
            phone=phone,
            code=data["code"],
            password=data["password1"],
            display_name=data["display_name"],
            grid_node=data["grid_node"],
        )

    if user := submit_form(request, form, register, _("注册成功，欢迎加入红色联盟！"), PASSWORD_ERRORS):
        request.session.pop(REGISTER_SESSION_KEY, None)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("home")
    context = {"form": form, "phone": mask_phone(phone)}
    return render(request, "registration/register_verify.html", context)


def password_reset(request):
    """Forgotten password, step one: the registered mobile number."""
    response, phone = _ask_for_code(
        request, actions.request_password_reset_code, RESET_SESSION_KEY, "registration/password_reset.html", {}
    )
    if response is not None:
        return response
    messages.info(request, _("如果该手机号已注册，验证码已发送。"))
    return redirect("password_reset_verify")


def password_reset_verify(request):
    """Forgotten password, step two: the code and a new password."""
    phone = request.session.get(RESET_SESSION_KEY)
    if not phone:
        return redirect("password_reset")
    form = ResetPasswordForm(request.POST or None)

    def reset(data):
        return actions.reset_password(phone=phone, code=data["code"], password=data["password1"])

    if submit_form(request, form, reset, _("密码已重新设置，请用新密码登录。"), PASSWORD_ERRORS):
        request.session.pop(RESET_SESSION_KEY, None)
        return redirect("login")
    return render(request, "registration/password_reset_verify.html", {"form": form, "phone": mask_phone(phone)})


@login_required
def profile(request):
    """The signed-in person's own profile (every role)."""
    user = request.user
    form = ProfileForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kwargs = {"display_name": data["display_name"], "phone": data["phone"]}
        if form.grid_editable:
            kwargs["grid_node"] = data["grid_node"]
        try:
            actions.update_profile(by=user, user=user, **kwargs)
        except ValidationError as exc:
            add_errors(form, exc, {"grid_node": "community"})
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("个人资料已保存。"))
            return redirect("profile")
    return render(request, "registration/profile.html", {"form": form})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change in the site's layout; other sessions and every API token end."""

    template_name = "registration/password_change.html"
    success_url = reverse_lazy("profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("密码已修改。其他设备上的登录和 API 令牌已失效。"))
        return response


password_change = PasswordChangeView.as_view()
