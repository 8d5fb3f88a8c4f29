"""The resident's phone: 我的 and the map tab (namespace "portal")."""

from django.urls import path

from alliance.site import portal_views

app_name = "portal"
urlpatterns = [
    path("me/", portal_views.mine, name="mine"),
    path("map/", portal_views.map_page, name="map"),
]
