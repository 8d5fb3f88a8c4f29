from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("成员单位与党员")

    def ready(self):
        from members import signals  # imports the models: only once apps are ready

        signals.connect(self.get_model("User"))
