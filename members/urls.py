from django.urls import path

from members import pairing_views

app_name = "members"
urlpatterns: list = [
    path("pairings/", pairing_views.pairings, name="pairings"),
    path("pairings/<int:pk>/", pairing_views.pairing, name="pairing"),
]
