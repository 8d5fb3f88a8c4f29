from django.contrib.auth import views as auth_views
from django.urls import path

from alliance.site import account_views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("register/", account_views.register, name="register"),
    path("register/verify/", account_views.register_verify, name="register_verify"),
    path("password-reset/", account_views.password_reset, name="password_reset"),
    path("password-reset/verify/", account_views.password_reset_verify, name="password_reset_verify"),
    path("profile/", account_views.profile, name="profile"),
    path("password/", account_views.password_change, name="password_change"),
]
