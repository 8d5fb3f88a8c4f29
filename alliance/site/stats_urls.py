"""Points and public figures, under /alliance/ beside the committee's pages (namespace "alliance")."""

from django.urls import path

from alliance.site import stats_views

urlpatterns = [
    path("figures/", stats_views.figures, name="figures"),
    path("figures/xlsx/", stats_views.figures_xlsx, name="figures_xlsx"),
    path("top10/", stats_views.top10, name="top10"),
    path("points/me/", stats_views.my_points, name="my_points"),
    path("stars/", stats_views.stars, name="stars"),
]
