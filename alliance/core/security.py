"""Site-wide guards: a Content-Security-Policy header on every response (``settings.CONTENT_SECURITY_POLICY``),
and a 400 for query strings no view can pass on (``QueryStringGuardMiddleware``).

Scripts only from our own origin: no inline scripts or ``on…=`` handlers anywhere (the portal's
small behaviours are in static/js/portal.js; /api/docs/ uses the split Swagger view whose init
script is a separate request). Styles allow inline attributes, which the admin and Swagger UI use.
"""

import re

from django.conf import settings
from django.core.exceptions import BadRequest
from django.utils.translation import gettext_lazy as _

from alliance.core.querying import MAX_YEAR, MIN_YEAR, parse_id


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response


DRILLDOWN = re.compile(r"__(year|month|day)$")
DRILLDOWN_BOUNDS = {"year": (MIN_YEAR, MAX_YEAR), "month": (1, 12), "day": (1, 31)}


def refuse_hostile_query(params) -> None:
    """Raise BadRequest for what no view can pass on: a NUL anywhere, or a date drill-down outside the calendar."""
    for key, values in params.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            raise BadRequest(_("请求中含有无效的字符。"))
        part = DRILLDOWN.search(key)
        if part:
            low, high = DRILLDOWN_BOUNDS[part.group(1)]
            for value in values:
                number = parse_id(value)
                if number is None or not low <= number <= high:
                    raise BadRequest(_("日期筛选条件无效。"))


ADMIN_PREFIX = "/admin/"


class QueryStringGuardMiddleware:
    """The net under the admin, whose views read query parameters the project does not parse (400 first).

    Pages and the API read their parameters through forms and filtersets that bound them
    (alliance.core.querying) and say what was wrong. The admin's change lists (list filters, search, date
    drill-down), its autocomplete and the third-party admins read theirs raw: PostgreSQL cannot hold a NUL in a string,
    and Django turns ``?<field>__year=99999999999999999999`` into a date before it asks the database.
    Both were 500s.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Our own pages and the API answer these themselves, with their field errors (alliance.core.querying).
        if request.path_info.startswith(ADMIN_PREFIX):
            refuse_hostile_query(request.GET)
        return self.get_response(request)
