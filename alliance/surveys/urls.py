"""The portal's pages of alliance.surveys under /surveys/ (namespace "surveys"): questionnaires and selections."""

from django.urls import path

from alliance.surveys import selection_views, survey_views

app_name = "surveys"

urlpatterns = [
    path("", survey_views.survey_list, name="list"),
    path("<int:pk>/", survey_views.survey_detail, name="detail"),
    path("<int:pk>/thanks/", survey_views.thanks, name="thanks"),
    path("<int:pk>/results/", survey_views.survey_results, name="results"),
    path("<int:pk>/live/", survey_views.survey_live, name="live"),
    path("selections/", selection_views.selection_list, name="selections"),
    path("selections/<int:pk>/", selection_views.selection_detail, name="selection"),
    path("selections/<int:pk>/vote/", selection_views.selection_vote, name="selection_vote"),
    path("selections/<int:pk>/results/", selection_views.selection_results, name="selection_results"),
]
