"""The portal's pages of alliance.surveys under /surveys/ (namespace "surveys")."""

from django.urls import path

from alliance.surveys import selection_views

app_name = "surveys"

urlpatterns: list = []

urlpatterns += [
    path("selections/", selection_views.selection_list, name="selections"),
    path("selections/<int:pk>/", selection_views.selection_detail, name="selection"),
    path("selections/<int:pk>/vote/", selection_views.selection_vote, name="selection_vote"),
    path("selections/<int:pk>/results/", selection_views.selection_results, name="selection_results"),
]
