"""Workspace pages of the members app, under /workspace/unit/ (unit operators)."""

from django.urls import path

from members import workspace_views as views

app_name = "members_ws"
urlpatterns = [
    path("", views.unit_profile, name="unit"),
]
