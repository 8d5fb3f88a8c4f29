"""API collections of alliance.surveys (see alliance/urls.py: ROUTES = [(prefix, viewset, basename)])."""

from alliance.surveys.survey_api import SurveyViewSet

ROUTES: list = [("surveys", SurveyViewSet, "survey")]
