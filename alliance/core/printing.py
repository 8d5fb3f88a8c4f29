"""Printable pages (A4, Chinese fonts) for the paper files an office keeps: a meeting's minutes, a matter with its
follow-up, an issue with its timeline. Staff only; each app's view fetches its record through ``scope_queryset``
(outside the viewer's subtree: 404) and renders a template under ``templates/print/`` extending
``print/base.html`` (the stylesheet ``css/print.css``, the 打印 button of ``js/print.js``)."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _


def staff_print_view(view: Callable) -> Callable:
    """A print page: signed-in staff (street and community admins, grid workers, superusers) only."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not (request.user.is_superuser or getattr(request.user, "is_staff_role", False)):
            raise PermissionDenied(_("只有街道、社区工作人员可以打印。"))
        return view(request, *args, **kwargs)

    return wrapped


def render_print(request, template: str, context: dict):
    """The page with who printed it and when (Beijing time), for the paper's footer."""
    context = {**context, "printed_at": timezone.localtime(), "printed_by": request.user}
    response = render(request, template, context)
    response["X-Robots-Tag"] = "noindex"
    return response
