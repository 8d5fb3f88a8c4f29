"""The portal's pages of alliance.proposals under /proposals/ (namespace "proposals")."""

app_name = "proposals"

urlpatterns: list = []
