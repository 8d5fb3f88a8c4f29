from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PointsConfig(AppConfig):
    """Points and assessment (积分与考评): above services and projects, it hears their events."""

    name = "alliance.points"
    label = "points"
    verbose_name = _("积分与考评")

    def ready(self):
        from alliance.points.defaults import restore_empty_points_rules  # imports the models: only once apps are ready

        post_migrate.connect(restore_empty_points_rules, sender=self, dispatch_uid="points.default_points_rules")
