"""The admin app with the project's site as the default one (Django's documented way: an AdminConfig whose
``default_site`` names the site class; INSTALLED_APPS lists this config instead of "django.contrib.admin")."""

from django.contrib.admin.apps import AdminConfig


class AllianceAdminConfig(AdminConfig):
    default_site = "alliance.site.admin_site.AllianceAdminSite"
