"""API collections of alliance.surveys (see alliance/urls.py: ROUTES = [(prefix, viewset, basename)])."""

from alliance.surveys.selection_api import SelectionViewSet

ROUTES: list = []

ROUTES += [("selections", SelectionViewSet, "selection")]
