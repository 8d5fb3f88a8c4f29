from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("三清单与项目认领")

    def ready(self):
        from projects.defaults import restore_empty_categories  # imports the models: not before the apps are ready

        post_migrate.connect(restore_empty_categories, sender=self, dispatch_uid="projects.default_categories")

        from projects import feeds  # imports the models: not before the apps are ready

        feeds.register()

        from projects import categories  # noqa: F401 - connects its receivers (a category saved is read afresh)
