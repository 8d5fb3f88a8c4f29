"""One shape for API errors: DRF's field errors for 400, ``{"detail": ...}`` otherwise.

Django's own ValidationError, raised by actions and model validation, becomes a 400
with its messages; a ``Conflict`` (a full project, an overlapping booking) a 409.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

from alliance.errors import Conflict


class ConflictError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "操作与当前状态冲突。"
    default_code = "conflict"


def exception_handler(exc, context):
    if isinstance(exc, Conflict):
        exc = ConflictError(detail=exc.message)
    elif isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = exceptions.ValidationError(detail=exc.message_dict)
        else:
            exc = exceptions.ValidationError(detail={"detail": exc.messages})
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(detail=str(exc) or None)
    return drf_exception_handler(exc, context)


@csrf_exempt
def not_found(request, *args, **kwargs):
    """A URL under /api/v1/ that names no operation (``/api/v1/grids/1.5/``): JSON like every API answer,
    not the site's HTML page."""
    return JsonResponse({"detail": gettext("接口地址不存在。")}, status=404, json_dumps_params={"ensure_ascii": False})
