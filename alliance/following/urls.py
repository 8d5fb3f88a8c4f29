"""The portal's pages of alliance.following under /following/ (namespace "following")."""

app_name = "following"

urlpatterns: list = []
