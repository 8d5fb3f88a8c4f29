from django.urls import path

from grids import views

app_name = "grids"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("<int:pk>/", views.node, name="node"),
]
