"""API collections of alliance.surveys (see alliance/urls.py: ROUTES = [(prefix, viewset, basename)])."""

from alliance.surveys.selection_api import SelectionViewSet
from alliance.surveys.survey_api import SurveyViewSet

ROUTES: list = [("surveys", SurveyViewSet, "survey"), ("selections", SelectionViewSet, "selection")]
