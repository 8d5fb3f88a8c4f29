"""The portal's pages of alliance.following under /follow/ (namespace "following")."""

from django.urls import path

from alliance.following import feeds, views

app_name = "following"

urlpatterns = [
    path("", views.my_follows, name="mine"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.edit, name="edit"),
    path("<int:pk>/unfollow/", views.unfollow, name="unfollow"),
    path("digests/<int:pk>/", views.digest, name="digest"),
    path("feeds/<int:community_pk>/<str:topic>.atom", feeds.CommunityFeed(), name="feed"),
]
