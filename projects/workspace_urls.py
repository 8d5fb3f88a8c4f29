"""Workspace pages of the projects app, under /workspace/ (unit operators and grid workers)."""

app_name = "projects_ws"
urlpatterns: list = []
