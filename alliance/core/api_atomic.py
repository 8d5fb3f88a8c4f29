"""Every API write is one transaction: a request that fails half-way leaves nothing behind.

``atomic_writes(view)`` wraps a view of the API router: POST, PUT, PATCH and DELETE run inside
``transaction.atomic``, and an error answer (4xx/5xx — the exception handler turned the exception into
a response, so the block itself sees none) rolls the whole request back. Reads run as before.
``alliance.urls`` applies it to every route of the router, so a new viewset is covered without
doing anything.
"""

import functools

from django.db import transaction

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def atomic_writes(view):
    @functools.wraps(view)  # keeps csrf_exempt, cls, actions, initkwargs (the schema reads them)
    def wrapped(request, *args, **kwargs):
        if request.method in SAFE_METHODS:
            return view(request, *args, **kwargs)
        with transaction.atomic():
            response = view(request, *args, **kwargs)
            if response.status_code >= 400:
                transaction.set_rollback(True)
            return response

    return wrapped


def atomic_patterns(patterns):
    """The router's URL patterns with every view wrapped by ``atomic_writes``."""
    for pattern in patterns:
        pattern.callback = atomic_writes(pattern.callback)
    return patterns
