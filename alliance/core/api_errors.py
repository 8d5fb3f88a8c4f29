"""One shape for API errors: DRF's field errors for 400, ``{"detail": ...}`` otherwise.

Django's own ValidationError, raised by actions and model validation, becomes a 400
with its messages; a ``Conflict`` (a full project, an overlapping booking) a 409.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import JsonResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from alliance.core.errors import Conflict


class ConflictError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("操作与当前状态冲突。")
    default_code = "conflict"


def _is_unique_violation(exc: IntegrityError) -> bool:
    cause = exc.__cause__
    return (getattr(cause, "pgcode", None) or getattr(cause, "sqlstate", None)) == "23505"


NOT_AN_OBJECT = _("请求内容须为一个对象（JSON 对象或表单）。")


def _no_data(exc) -> bool:
    """A ``null`` body: DRF's "No data provided", which has no Chinese translation."""
    if not isinstance(exc, exceptions.ValidationError) or not isinstance(exc.detail, dict):
        return False
    errors = exc.detail.get(api_settings.NON_FIELD_ERRORS_KEY) or []
    return any(getattr(error, "code", "") == "null" for error in errors)


def exception_handler(exc, context):
    if _no_data(exc):
        exc = exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [NOT_AN_OBJECT]})
    elif isinstance(exc, Conflict):
        exc = ConflictError(detail=exc.message)
    elif isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = exceptions.ValidationError(detail=exc.message_dict)
        else:
            exc = exceptions.ValidationError(detail={"detail": exc.messages})
    elif isinstance(exc, IntegrityError) and _is_unique_violation(exc):
        # A unique rule the input did not check first (two requests at once): a conflict, never a 500.
        exc = ConflictError(detail=gettext("该记录已存在，请勿重复提交。"))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(detail=str(exc) or None)
    return drf_exception_handler(exc, context)


@csrf_exempt
def not_found(request, *args, **kwargs):
    """A URL under /api/v1/ that names no operation (``/api/v1/grids/1.5/``): JSON like every API answer,
    not the site's HTML page."""
    return JsonResponse({"detail": gettext("接口地址不存在。")}, status=404, json_dumps_params={"ensure_ascii": False})
