"""The size of one request's body, bounded before anything reads it.

Django bounds the form fields of a request (``DATA_UPLOAD_MAX_MEMORY_SIZE``) but not its files: any
number of bytes would be streamed to disk and then read by whoever handles the upload. A body larger
than ``UPLOAD_MAX_REQUEST_BYTES`` (all photos of a report, an imported spreadsheet) is answered with
413 and a Chinese message before it is read. Finer limits follow where each upload is handled
(alliance.core.photos, alliance.core.spreadsheets).
"""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext as _

from alliance.core.spreadsheets import human_size


def too_large_message(limit: int) -> str:

    return _("上传的内容过大（一次最多 %(size)s），请压缩照片或分批上传。") % {"size": human_size(limit)}


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = getattr(settings, "UPLOAD_MAX_REQUEST_BYTES", None)
        if limit:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                return self.refuse(request, limit)
        return self.get_response(request)

    @staticmethod
    def refuse(request, limit: int):
        message = too_large_message(limit)
        wants_json = request.path.startswith("/api/") or "application/json" in request.META.get("HTTP_ACCEPT", "")
        response: HttpResponse
        if wants_json:
            response = JsonResponse({"detail": message}, status=413, json_dumps_params={"ensure_ascii": False})
        else:
            page = (
                '<!doctype html><html lang="zh-hans"><head><meta charset="utf-8"><title>{title}</title></head>'
                '<body><h1>{title}</h1><p>{message}</p><p><a href="/">{home}</a></p></body></html>'
            ).format(title=escape(_("上传内容过大")), message=escape(message), home=escape(_("回到首页")))
            response = HttpResponse(page, status=413, content_type="text/html; charset=utf-8")
        return response
