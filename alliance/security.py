"""A Content-Security-Policy header on every response (``settings.CONTENT_SECURITY_POLICY``).

Scripts only from our own origin: no inline scripts or ``on…=`` handlers anywhere (the portal's
small behaviours are in static/js/portal.js; /api/docs/ uses the split Swagger view whose init
script is a separate request). Styles allow inline attributes, which the admin and Swagger UI use.
"""

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response
