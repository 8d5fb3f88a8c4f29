"""The portal's pages of alliance.surveys under /surveys/ (namespace "surveys")."""

from django.urls import path

from alliance.surveys import survey_views

app_name = "surveys"

urlpatterns = [
    path("", survey_views.survey_list, name="list"),
    path("<int:pk>/", survey_views.survey_detail, name="detail"),
    path("<int:pk>/thanks/", survey_views.thanks, name="thanks"),
    path("<int:pk>/results/", survey_views.survey_results, name="results"),
    path("<int:pk>/live/", survey_views.survey_live, name="live"),
]
