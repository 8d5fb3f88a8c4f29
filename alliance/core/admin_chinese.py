"""Which language a page is in, and Chinese texts Django's admin would otherwise write in English.

Chinese is the default everywhere; a person's explicit choice switches every page. ``LocaleMiddleware`` answers
each request in the language of Django's language cookie (``django_language``, set by the footer's switch on
the portal and the workspace and by the switch in the admin's user links, both posting to ``set_language``),
and in ``LANGUAGE_CODE`` (Chinese) without it. The browser's Accept-Language is not read, on any page:

- the admin (issue 14): it is the street and community offices' workbench, and an office PC's browser asks for
  English by default (Chromium, an English Windows) though nobody there chose it;
- the portal and the workspace too: the same office PCs open the workspace (unit operators, grid workers),
  and residents' phones often ship with an English system language — a resident of a Chinese street who never
  asked for English should not get it. A visitor who wants English chooses it once in the footer; the cookie
  keeps the choice (``LANGUAGE_COOKIE_AGE``) on every page, the admin included, and ``<html lang>`` follows;
- the API the same way: the portal's own scripts call it from those browsers; a program that wants English
  sends the cookie ``django_language=en``.

With the English catalogue complete (``locale/en``, kept complete by tests/i18n), an explicit English is no
longer half English: the admin follows the choice as the other pages do. Responses vary on the cookie, never on
Accept-Language, so a cache never hands one person's language to another.

``boolean_icon`` is Django's yes/no icon with its alternative text translated (是/否, Yes/No): Django writes
"True"/"False" into the ``alt`` of every boolean column and read-only field (``admin_list._boolean_icon``).
"""

from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.admin.templatetags import admin_list
from django.templatetags.static import static
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.deprecation import MiddlewareMixin
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django_celery_beat.models import CrontabSchedule, IntervalSchedule

from alliance.core.schedule_text import describe


def chosen_language(request) -> str:
    """The language of the cookie set by ``set_language`` when it names one of ``LANGUAGES``, else Chinese."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if code:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


class LocaleMiddleware(MiddlewareMixin):
    """Activates the chosen language (the cookie, else ``LANGUAGE_CODE``) for the request; no URL prefixes."""

    def process_request(self, request):
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE))
        return response


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
