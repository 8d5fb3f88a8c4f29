"""Errors the actions raise; the API and the portal turn them into answers.

- ``django.core.exceptions.ValidationError``: bad input or a transition from the wrong state (400).
- ``django.core.exceptions.PermissionDenied``: the acting user's role or scope does not allow it (403).
- ``Conflict``: the request is valid but collides with others' (a full project, a booked slot) (409).
"""

from django.utils.functional import Promise


class Conflict(Exception):
    def __init__(self, message: str | Promise):
        super().__init__(message)
        self.message = message
