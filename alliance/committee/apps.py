from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteeConfig(AppConfig):
    """The joint committee's domain. Its label stays "alliance": tables, migrations and permissions keep their names."""

    name = "alliance.committee"
    label = "alliance"
    verbose_name = _("大工委与联席会议")

    def ready(self):
        from alliance.committee import feeds  # imports the models: not before the apps are ready

        feeds.register()
