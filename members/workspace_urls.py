"""Workspace pages of the members app, under /workspace/unit/ (unit operators)."""

from django.urls import path

from members import pairing_views
from members import workspace_views as views

app_name = "members_ws"
urlpatterns = [
    path("", views.unit_profile, name="unit"),
    path("pairings/", pairing_views.ws_pairings, name="pairings"),
    path("pairings/<int:pk>/service/", pairing_views.ws_record_service, name="pairing_service"),
]
