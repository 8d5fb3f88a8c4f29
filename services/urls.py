app_name = "services"
urlpatterns: list = []
