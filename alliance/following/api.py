"""API collections of alliance.following (see alliance/urls.py: ROUTES = [(prefix, viewset, basename)])."""

ROUTES: list = []
