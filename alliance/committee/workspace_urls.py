"""Workspace pages of the alliance app, under /workspace/committee/ (unit operators and seat holders)."""

from django.urls import path

from alliance.committee import print_views
from alliance.committee import workspace_views as views

app_name = "alliance_ws"
urlpatterns = [
    path("", views.index, name="index"),
    path("invitations/<int:pk>/answer/", views.answer, name="answer"),
    path("matters/new/", views.raise_matter, name="raise_matter"),
    path("meetings/<int:pk>/print/", print_views.meeting_print, name="meeting_print"),
    path("matters/<int:pk>/print/", print_views.matter_print, name="matter_print"),
]
