"""The admin in Chinese for staff, whatever language their browser asks for (issue 14).

The portal follows the visitor's language (Django's LocaleMiddleware, the footer's switch), but the admin is
the street and community offices' workbench: its own texts are written in Chinese and only Django's are
translated, so an English browser (Chromium's default on an office PC) would get a page half in English —
"Available 特长", "Choose all 特长". ``LocaleMiddleware`` here answers the admin in ``LANGUAGE_CODE``.

``boolean_icon`` is Django's yes/no icon with its alternative text in Chinese: Django writes "True"/"False"
into the ``alt`` of every boolean column and read-only field (``admin_list._boolean_icon``).
"""

from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.admin.templatetags import admin_list
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django_celery_beat.models import CrontabSchedule, IntervalSchedule

from alliance.core.schedule_text import describe

ADMIN_PREFIX = SimpleLazyObject(lambda: reverse("admin:index"))


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, except that pages under the admin are always in the site's language (Chinese)."""

    def process_request(self, request):
        if request.path_info.startswith(str(ADMIN_PREFIX)):
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = translation.get_language()
            return
        super().process_request(request)


ICONS = {True: "yes", False: "no", None: "unknown"}


def boolean_icon(field_val):
    label = {True: _("是"), False: _("否"), None: _("未知")}[field_val]
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{ICONS[field_val]}.svg"), label)


def install_boolean_icon() -> None:
    """Every caller in Django's admin looks ``_boolean_icon`` up in admin_list when it runs."""
    admin_list._boolean_icon = boolean_icon  # type: ignore[attr-defined]


def _through_str(self):
    return str(getattr(self, self._through_target))


def name_m2m_links() -> None:
    """The rows linking two records of a many-to-many field (「Partymember-skill关系: PartyMember_skills object
    (3)」 on a delete confirmation) are named after the field and the linked record: 「特长: 理发」."""
    for model in apps.get_models():
        for field in model._meta.local_many_to_many:
            through: Any = field.remote_field.through
            if not through._meta.auto_created:
                continue
            through._meta.verbose_name = through._meta.verbose_name_plural = field.verbose_name
            through._through_target = field.m2m_reverse_field_name()
            through.__str__ = _through_str


def name_schedules() -> None:
    """A crontab or an interval reads as 「每天 04:00」 wherever the admin names it (titles, choices)."""
    CrontabSchedule.__str__ = describe
    IntervalSchedule.__str__ = describe
