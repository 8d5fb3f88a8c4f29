"""API collections of alliance.proposals (see alliance/urls.py: ROUTES = [(prefix, viewset, basename)])."""

ROUTES: list = []
