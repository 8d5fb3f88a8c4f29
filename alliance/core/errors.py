"""Errors the actions raise; the API and the portal turn them into answers.

- ``django.core.exceptions.ValidationError``: bad input or a transition from the wrong state (400).
- ``django.core.exceptions.PermissionDenied``: the acting user's role or scope does not allow it (403).
- ``Conflict``: the request is valid but collides with others' (a full project, a booked slot) (409).
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # a message, or one translated lazily


class Conflict(Exception):
    def __init__(self, message: "StrOrPromise"):
        super().__init__(message)
        self.message = message
