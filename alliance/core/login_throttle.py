"""Login throttling (django-axes) for the portal login, the admin login and the API token endpoint.

Two limits, both keyed on the client address as the trusted reverse proxy reports it
(``alliance.core.ratelimit.client_address``, ``RATE_LIMIT_PROXY_COUNT``), never the proxy's own:

- a (username, address) pair is locked after ``AXES_FAILURE_LIMIT`` failures, so a stranger at
  another address cannot lock someone else out;
- an address is refused for every username after ``AXES_ADDRESS_FAILURE_LIMIT`` failures in the
  cool-off period (password spraying: many usernames, few tries each).
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def address_failures(ip_address: str, request=None) -> int:
    attempts = AccessAttempt.objects.filter(ip_address=ip_address)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


class AxesHandler(AxesDatabaseHandler):
    """axes' database handler with the per-address limit across usernames on top of the per-pair one."""

    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        limit = getattr(settings, "AXES_ADDRESS_FAILURE_LIMIT", 0)
        ip_address = getattr(request, "axes_ip_address", None)
        if limit and ip_address and address_failures(ip_address, request) >= limit:
            return max(failures, get_failure_limit(request, credentials))
        return failures
