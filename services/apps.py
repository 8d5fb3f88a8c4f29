from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "services"
    verbose_name = _("居民服务")

    def ready(self):
        from services import feeds  # imports the models: not before the apps are ready

        feeds.register()
