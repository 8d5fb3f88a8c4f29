"""Workspace pages of the services app, under /workspace/ (unit operators and grid workers)."""

app_name = "services_ws"
urlpatterns: list = []
