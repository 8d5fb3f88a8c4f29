"""API collections of alliance.surveys (see alliance/urls.py: ROUTES = [(prefix, viewset, basename)])."""

ROUTES: list = []
