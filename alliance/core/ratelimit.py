"""Rate limits on the Django cache: at most N requests per period, per account (or address).

``settings.RATE_LIMITS`` maps a scope to a rate ("5/h", "30/m", "100/d"); a scope missing
from it, or an empty dict, is not limited. Counters live in fixed windows in the cache; when
the cache (Redis) is down, requests go through: a resident's order is worth more than a limit.

Portal views: ``@ratelimit_view("register")`` answers 429 with a page; only POST requests are counted.
DRF has no throttle for plain Django views, so this part stays hand-written.

API views use DRF's own throttling: ``throttle_classes = [CreateRateThrottle]`` and ``throttle_scope = "order"``
on a viewset limit its ``create`` (DRF's ScopedRateThrottle on the Django cache, rates from the same
``RATE_LIMITS``, signed-out clients keyed by address with ``NUM_PROXIES`` = ``RATE_LIMIT_PROXY_COUNT``).
Over the limit DRF answers 429 ``{"detail": "操作过于频繁,请稍后再试。"}`` with ``Retry-After``.
"""

import functools
import logging
import math
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import Throttled
from rest_framework.throttling import ScopedRateThrottle

logger = logging.getLogger(__name__)

MESSAGE = _("操作过于频繁，请稍后再试。")
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class RateLimited(Throttled):
    """DRF's 429 with our message (DRF's own appends an English "Expected available in ..." to its detail)."""

    default_detail = MESSAGE
    default_code = "rate_limited"

    def __init__(self, wait: float | None = None):
        super().__init__(detail=MESSAGE)
        self.wait = math.ceil(wait) if wait else None


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


# DRF's sliding window in one round trip, and atomic (DRF reads the history, then writes it back: two round trips,
# and two requests at once could both pass on the last place): drop the times that left the window, count, and
# add this request's time when there is room; else answer the oldest time, from which the wait is computed.
WINDOW_SCRIPT = """
local key, now, period, limit = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - period)
if redis.call('ZCARD', key) >= limit then
  return {0, redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2]}
end
redis.call('ZADD', key, now, ARGV[4])
redis.call('EXPIRE', key, math.ceil(period))
return {1, ''}
"""


_WINDOW: list = []  # the Script, once made


def _window_script(client):
    """``WINDOW_SCRIPT`` as redis-py's Script (EVALSHA, loaded on the first NOSCRIPT), made once: making it on
    each request hashed the script anew. It runs on the client it is called with (the cache hands out a new
    client object each time, over the same connections)."""
    if not _WINDOW:
        _WINDOW.append(client.register_script(WINDOW_SCRIPT))
    return _WINDOW[0]


def redis_client():
    """The cache's Redis client when the cache is Redis (Django's backend), else None (local memory, dummy)."""
    backend = getattr(cache, "_cache", None)
    get_client = getattr(backend, "get_client", None)
    return get_client(write=True) if get_client is not None else None


class CreateRateThrottle(ScopedRateThrottle):
    """DRF's scoped throttle on a viewset's ``create`` only (its other POSTs, accept, reply, ..., are not counted).

    The rate is read from ``settings.RATE_LIMITS`` at each request (DRF's class attribute is read at import, so
    a changed setting would not apply); a scope missing from it is not limited. When the cache is down the
    request goes through, as on the pages. On Redis the window is a sorted set of request times checked and
    updated by one script (``WINDOW_SCRIPT``); on another cache, DRF's own list of times.
    """

    cache_format = "throttle:%(scope)s:%(ident)s"  # a sorted set on Redis (DRF's list lived under throttle_…)

    def get_rate(self) -> str | None:
        return getattr(settings, "RATE_LIMITS", {}).get(self.scope)

    def allow_request(self, request, view) -> bool:
        if getattr(view, "action", None) != "create":
            return True
        try:
            client = redis_client()
            allowed = self._allow_in_redis(client, request, view) if client else super().allow_request(request, view)
        except Exception:  # noqa: BLE001 - the cache is down: let the request through
            logger.warning("rate limit %s not checked: the cache is unavailable", self.scope)
            return True
        if not allowed:
            # Raised here rather than left to APIView.throttled, whose Throttled carries DRF's English text.
            raise RateLimited(wait=self.wait())
        return True

    def _allow_in_redis(self, client, request, view) -> bool:
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        self.now = self.timer()
        member = f"{self.now:.6f}:{uuid.uuid4().hex[:8]}"  # two requests in one microsecond are two
        allowed, oldest = _window_script(client)(
            keys=[cache.make_and_validate_key(key)],
            args=[self.now, self.duration, self.num_requests, member],
            client=client,
        )
        self.history = [] if allowed else [float(oldest)] * int(self.num_requests or 0)  # what DRF's wait() reads
        return bool(allowed)
