"""Error pages in Chinese, in the site's layout, with a way back: 400, 403, 404, 500 and the CSRF failure
(``handler400`` … in alliance/urls.py, ``CSRF_FAILURE_VIEW`` in settings). Under /api/ the answer stays JSON.

The 500 page is static (templates/errors/500.html extends errors/layout.html, which reads nothing): it
renders without a database, a request context or context processors; should even that fail, a fixed
HTML text answers.
"""

import logging
from urllib.parse import urlsplit

from django.core.exceptions import DisallowedHost
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

PAGES = {
    400: (_("请求有误"), _("您的请求包含无法处理的内容，请检查后重试。")),
    403: (_("没有权限"), _("您没有权限访问这个页面。如需访问，请先登录有权限的账号。")),
    404: (_("页面不存在"), _("您要找的页面不存在，可能已被删除或链接有误。")),
}
CSRF_MESSAGE = _("表单已过期或来源无法验证，请返回上一页，刷新后再提交一次。")
STATIC_500 = (
    '<!doctype html><html lang="zh-hans"><head><meta charset="utf-8"><title>服务器出错了 · 红色联盟</title></head>'
    "<body><h1>服务器出错了（500）</h1><p>抱歉，系统暂时无法完成您的请求，请稍后再试。</p>"
    '<p><a href="/">返回首页</a></p></body></html>'
)


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _back(request) -> str:
    """The referring page when it is ours, else the home page."""
    referer = request.META.get("HTTP_REFERER", "")
    parts = urlsplit(referer)
    try:
        host = request.get_host()
    except DisallowedHost:
        host = None
    if referer and parts.scheme in ("http", "https") and host and parts.netloc == host:
        return referer
    return "/"


def _detail(exception) -> str:
    """The Chinese text a view gave its refusal (PermissionDenied("…"), BadRequest("…")), if any."""
    args = getattr(exception, "args", ())
    text = str(args[0]) if args and isinstance(args[0], str | Promise) else ""  # Resolver404 carries a dict
    if not text or text.isascii():  # Django's own English texts and resolver dumps are not for users
        return ""
    return text[:500]


def _page(request, status: int, *, title: str, message: str, detail: str = "") -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": detail or message}, status=status)
    context = {
        "status": status,
        "title": title,
        "message": message,
        "detail": detail,
        "back": _back(request),
    }
    return HttpResponse(loader.render_to_string("errors/page.html", context, request), status=status)


def bad_request(request, exception=None):
    title, message = PAGES[400]
    return _page(request, 400, title=title, message=message, detail=_detail(exception))


def permission_denied(request, exception=None):
    title, message = PAGES[403]
    return _page(request, 403, title=title, message=message, detail=_detail(exception))


def page_not_found(request, exception=None):
    title, message = PAGES[404]
    return _page(request, 404, title=title, message=message, detail=_detail(exception))


def csrf_failure(request, reason=""):
    return _page(request, 403, title=_("无法提交表单"), message=CSRF_MESSAGE)


def server_error(request=None):
    if request is not None and _is_api(request):
        return JsonResponse({"detail": gettext("服务器内部错误，请稍后再试。")}, status=500)
    try:
        body = loader.get_template("errors/500.html").render()
    except Exception:  # the last resort must not fail
        logger.exception("the 500 page could not be rendered")
        body = STATIC_500
    return HttpResponse(body, status=500)
