"""API collections of this app, registered under /api/v1/ by alliance.urls."""

ROUTES: list = []
