from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data of every app (``seed_demo``, ``seed_city``): above every layer, imported by nothing."""

    name = "alliance.demo"
    label = "demo"
    verbose_name = _("演示数据")
