"""Login throttling records (django-axes) in the admin, for superusers only.

Axes registers its admins with Django's model permissions, which our role-based accounts do not
carry; here they are registered again on the roles. The failed attempts, the lockouts and the login log
are technical tables in English (issue 14): only superusers see them, and may delete an attempt (which
unlocks the account); a lockout ends by itself after AXES_COOLOFF_TIME.
Imported by alliance.urls, after the admin's autodiscovery.
"""

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin


def _superuser(request) -> bool:
    return request.user.is_active and request.user.is_superuser


class _SuperuserOnly:
    def has_module_permission(self, request):
        return _superuser(request)

    def has_view_permission(self, request, obj=None):
        return _superuser(request)

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AccessAttemptAdmin(_SuperuserOnly, axes_admin.AccessAttemptAdmin):
    def has_delete_permission(self, request, obj=None):
        return _superuser(request)


class AccessLogAdmin(_SuperuserOnly, axes_admin.AccessLogAdmin):
    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class AccessFailureLogAdmin(_SuperuserOnly, axes_admin.AccessFailureLogAdmin):
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
