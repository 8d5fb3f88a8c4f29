"""Workspace pages of the alliance app, under /workspace/ (unit operators and grid workers)."""

app_name = "alliance_ws"
urlpatterns: list = []
