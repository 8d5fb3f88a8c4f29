"""Workspace pages of the projects app, under /workspace/lists/ (unit operators)."""

from django.urls import path

from projects import views, workspace_views

app_name = "projects_ws"
urlpatterns = [
    path("", views.ws_index, name="index"),
    path("resources/new/", views.ws_resource_new, name="resource_new"),
    path("resources/<int:pk>/toggle/", views.ws_resource_retire, name="resource_toggle"),
    path("claims/<int:pk>/", views.ws_claim, name="claim"),
    path("claims/<int:pk>/complete/", views.ws_claim_complete, name="claim_complete"),
    path("needs/", workspace_views.ws_needs, name="needs"),
    path("needs/new/", workspace_views.ws_need_new, name="need_new"),
    path("needs/<int:pk>/edit/", workspace_views.ws_need_edit, name="need_edit"),
    path("pledges/", workspace_views.ws_pledges, name="pledges"),
]
