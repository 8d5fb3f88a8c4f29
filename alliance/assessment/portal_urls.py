"""Public pages of the assessment, in the "alliance" namespace under /alliance/ (alliance/urls.py)."""

from django.urls import path

from alliance.assessment import views

urlpatterns = [
    path("assessments/", views.assessments, name="assessments"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment"),
    path("grid-stars/", views.grid_star_list, name="grid_star_list"),
    path("grid-stars/<int:pk>/", views.grid_stars, name="grid_stars"),
]
