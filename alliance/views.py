"""Portal shell: home, registration, the workspace entrance."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from alliance.forms import RegisterForm
from alliance.selectors import cached_home_figures
from members.actions import register_resident


def home(request):
    return render(request, "portal/home.html", {"figures": cached_home_figures()})


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
