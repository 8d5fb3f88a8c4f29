"""Login throttling records (django-axes) in the admin, for street admins as well as superusers.

Axes registers its admins with Django's model permissions, which our role-based accounts do not
carry; here they are registered again on the roles: street admins and superusers see the failed
attempts, the lockouts and the login log, and may delete an attempt (which unlocks the account).
Imported by alliance.urls, after the admin's autodiscovery.
"""

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import get_user_model


def _street_level(request) -> bool:
    user = request.user
    return user.is_active and (user.is_superuser or getattr(user, "role", "") == get_user_model().Role.STREET_ADMIN)


class _StreetLevelOnly:
    def has_module_permission(self, request):
        return _street_level(request)

    def has_view_permission(self, request, obj=None):
        return _street_level(request)

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AccessAttemptAdmin(_StreetLevelOnly, axes_admin.AccessAttemptAdmin):
    def has_delete_permission(self, request, obj=None):
        return _street_level(request)


class AccessLogAdmin(_StreetLevelOnly, axes_admin.AccessLogAdmin):
    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class AccessFailureLogAdmin(_StreetLevelOnly, axes_admin.AccessFailureLogAdmin):
    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


for model, model_admin in (
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
