"""The resident's phone: 我的 (namespace "portal"); the 地图 tab is services' map page."""

from django.urls import path

from alliance.site import portal_views

app_name = "portal"
urlpatterns = [
    path("me/", portal_views.mine, name="mine"),
]
