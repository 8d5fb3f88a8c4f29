from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("成员单位与党员")

    def ready(self):
        from members.defaults import restore_empty_points_rules  # imports the models: only once apps are ready

        post_migrate.connect(restore_empty_points_rules, sender=self, dispatch_uid="members.default_points_rules")

        from members import signals  # imports the models: only once apps are ready

        signals.connect(self.get_model("User"))
