"""Rate limits on the Django cache: at most N requests per period, per account (or address).

``settings.RATE_LIMITS`` maps a scope to a rate ("5/h", "30/m", "100/d"); a scope missing
from it, or an empty dict, is not limited. Counters live in fixed windows in the cache; when
the cache (Redis) is down, requests go through: a resident's order is worth more than a limit.

Portal views: ``@ratelimit_view("register")`` answers 429 with a page. API views:
``check(request, "order")`` (or ``@ratelimit_api("order")`` on a viewset method) raises
``RateLimited``, which DRF answers as 429 ``{"detail": "操作过于频繁,请稍后再试。"}``.
Only POST requests are counted.
"""

import functools
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException

logger = logging.getLogger(__name__)

MESSAGE = _("操作过于频繁,请稍后再试。")
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class RateLimited(APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = MESSAGE
    default_code = "rate_limited"


def parse(rate: str) -> tuple[int, int]:
    """ "5/h" → (5, 3600)."""
    count, _slash, unit = rate.partition("/")
    return int(count), PERIODS[unit.strip()[0].lower()]


def client_address(request) -> str:
    """The client's address; behind ``RATE_LIMIT_PROXY_COUNT`` trusted proxies, the one they saw."""
    proxies = getattr(settings, "RATE_LIMIT_PROXY_COUNT", 0)
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    if proxies and len(hops) >= proxies:
        return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _who(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u{user.pk}"
    return f"a{client_address(request)}"


def exceeded(request, scope: str) -> bool:
    """Count this request in ``scope``; True when it goes over the limit."""
    rate = getattr(settings, "RATE_LIMITS", {}).get(scope)
    if not rate or request.method != "POST":
        return False
    limit, period = parse(rate)
    window = int(time.time() // period)
    key = f"ratelimit:{scope}:{_who(request)}:{window}"
    try:
        cache.add(key, 0, timeout=period + 1)
        count = cache.incr(key)
    except Exception:  # noqa: BLE001 - the cache is down: let the request through
        logger.warning("rate limit %s not checked: the cache is unavailable", scope)
        return False
    return count > limit


def check(request, scope: str) -> None:
    if exceeded(request, scope):
        raise RateLimited()


def ratelimit_view(scope: str):
    """A portal view limited in ``scope``: over the limit, a 429 page says so."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if exceeded(request, scope):
                return render(request, "429.html", {"message": MESSAGE}, status=429)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def ratelimit_api(scope: str):
    """A DRF view method (``create`` of a viewset) limited in ``scope``."""

    def decorator(method):
        @functools.wraps(method)
        def wrapper(self, request, *args, **kwargs):
            check(request, scope)
            return method(self, request, *args, **kwargs)

        return wrapper

    return decorator
