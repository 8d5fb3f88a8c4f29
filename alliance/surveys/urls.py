"""The portal's pages of alliance.surveys under /surveys/ (namespace "surveys")."""

app_name = "surveys"

urlpatterns: list = []
