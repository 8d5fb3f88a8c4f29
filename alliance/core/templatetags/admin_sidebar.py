"""``{% kept_app_list %}``: the admin's navigation sidebar (every model of the site, grouped) drawn once per kept
app list and marked for the page at hand.

Django draws admin/app_list.html on every admin page: a hundred models, a third of a change list's rendering. The
grouped app list is already kept per account and language by the site (alliance.site.admin_site); its HTML is
kept beside it, drawn for no page in particular, and each request only marks the current group and model the way
Django's template does (``app_url``/``admin_url`` contained in the quoted path: ``current-app``, ``current-model``,
``aria-current``). A site that keeps no app list (the bench's stock admin) draws it as Django does.
"""

import re
from types import SimpleNamespace
from urllib.parse import quote

from django import template
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

NOWHERE = SimpleNamespace(path="\x00")  # a request path no app or model URL is contained in
ROW = re.compile(r'<tr class="model-([^"]+)">(\s*<th scope="row" id="[^"]*">\s*<a href="([^"]*)")')


def drawn(app_list, request) -> str:
    """admin/app_list.html of ``app_list`` as Django's sidebar includes it, for ``request``."""
    return render_to_string(
        "admin/app_list.html", {"app_list": app_list, "show_changelinks": False, "request": request}
    )


def unmarked(app_list) -> str:
    """admin/app_list.html of ``app_list`` for no page: nothing current."""
    return drawn(app_list, NOWHERE)


def marked(html: str, app_list, path: str) -> str:
    """``html`` (unmarked) with the current group and model of ``path`` marked as Django's template marks them."""
    here = quote(path, safe="/")
    for app in app_list:
        if app["app_url"] in here:
            label = escape(app["app_label"])
            html = html.replace(f'<div class="app-{label} module">', f'<div class="app-{label} module current-app">', 1)
    current = {
        escape(m["admin_url"])
        for app in app_list
        for m in app["models"]
        if m.get("admin_url") and m["admin_url"] in here
    }
    if not current:
        return html

    def mark(match):
        if match.group(3) not in current:
            return match.group(0)
        return f'<tr class="model-{match.group(1)} current-model">{match.group(2)} aria-current="page"'

    return ROW.sub(mark, html)


@register.simple_tag(takes_context=True)
def kept_app_list(context):
    request, app_list = context["request"], context.get("available_apps") or []
    keep = getattr(request, "kept_app_list", None)  # set by AllianceAdminSite.get_app_list: {} kept with the list
    if keep is None:
        return mark_safe(drawn(app_list, request))  # noqa: S308 - a template's output
    if "html" not in keep:
        keep["html"] = unmarked(app_list)
    return mark_safe(marked(keep["html"], app_list, request.path))  # noqa: S308 - a template's output
