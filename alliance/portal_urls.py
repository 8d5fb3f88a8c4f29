"""Public pages of the joint committee (大工委), under /alliance/."""

app_name = "alliance"
urlpatterns: list = []
