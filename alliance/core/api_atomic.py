"""Every API write is one transaction: a request that fails half-way leaves nothing behind.

``atomic_writes(view)`` wraps a view of the API router: POST, PUT, PATCH and DELETE run inside
``transaction.atomic``, and an error answer (4xx/5xx — the exception handler turned the exception into
a response, so the block itself sees none) rolls the whole request back. Reads run as before.
``alliance.urls`` applies it to every route of the router, so a new viewset is covered without
doing anything.

``action_atomic`` is the block of a write action that may run inside such a request: there the request's
transaction already rolls everything back on any error answer, so the block adds no SAVEPOINT (two round
trips fewer); anywhere else (a page, a job, a shell, a test's own transaction) it is ``transaction.atomic()``.
Only for actions whose errors end the request: a caller that caught the error and answered 2xx would find
the transaction unusable (Django refuses further queries) instead of rolled back to the savepoint.
"""

import contextlib
import contextvars
import functools

from django.db import transaction

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_IN_API_WRITE: contextvars.ContextVar[bool] = contextvars.ContextVar("in_api_write", default=False)


def atomic_writes(view):
    @functools.wraps(view)  # keeps csrf_exempt, cls, actions, initkwargs (the schema reads them)
    def wrapped(request, *args, **kwargs):
        if request.method in SAFE_METHODS:
            return view(request, *args, **kwargs)
        with transaction.atomic():
            mark = _IN_API_WRITE.set(True)
            try:
                response = view(request, *args, **kwargs)
            finally:
                _IN_API_WRITE.reset(mark)
            if response.status_code >= 400:
                transaction.set_rollback(True)
            return response

    return wrapped


@contextlib.contextmanager
def action_atomic():
    """``transaction.atomic()``, without its SAVEPOINT inside an API write's transaction (see above).
    A decorator too (a fresh block per call)."""
    with transaction.atomic(savepoint=not _IN_API_WRITE.get()):
        yield


def atomic_patterns(patterns):
    """The router's URL patterns with every view wrapped by ``atomic_writes``."""
    for pattern in patterns:
        pattern.callback = atomic_writes(pattern.callback)
    return patterns
