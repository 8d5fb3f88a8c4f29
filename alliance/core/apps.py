from django.apps import AppConfig
from django.conf import settings
from django.db import models
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _
from PIL import Image
from rest_framework import serializers


class CoreConfig(AppConfig):
    """The kernel under every domain app: it imports none of them."""

    name = "alliance.core"
    label = "core"
    verbose_name = _("系统")

    def ready(self):
        # Imported once the app registry is ready: these modules import models.
        from alliance.core import job_runs  # noqa: F401 - records each run of a periodic job (JobRun) from Celery's signals
        from alliance.core.admin_chinese import install_boolean_icon, name_m2m_links, name_schedules
        from alliance.core.api_fields import DateTimeField
        from alliance.core.cache import connect_signals
        from alliance.core.channels import checks  # noqa: F401 - registers the system checks of the channels' settings
        from alliance.core.history import keep_history_managers
        from alliance.core.schedules import sync_default_schedules

        # Registers each app's default beat schedule once; later admin edits are kept.
        post_migrate.connect(sync_default_schedules, sender=self, dispatch_uid="core.sync_schedules")

        # Each model's audit history manager (Model.history) is built once, not on every save (alliance.core.history).
        keep_history_managers()

        # Cached pages, fragments and API lists are forgotten whenever what they show changes.
        connect_signals()

        # Date-times of every ModelSerializer through the API's own field (alliance.core.api_fields).
        serializers.ModelSerializer.serializer_field_mapping[models.DateTimeField] = DateTimeField

        # Pillow refuses to open images beyond twice this (decompression bombs); photos are checked against
        # PHOTO_MAX_PIXELS itself before decoding (alliance.core.photos).
        Image.MAX_IMAGE_PIXELS = settings.PHOTO_MAX_PIXELS

        # The admin's yes/no icons say 是/否 to a screen reader, not True/False (alliance.core.admin_chinese).
        install_boolean_icon()
        name_m2m_links()
        name_schedules()

        # Each app's receivers of domain events (<app>/handlers.py), connected once (alliance.core.events).
        autodiscover_modules("handlers")
        # Each app's audiences of a fan-out (<app>/audiences.py: who a notice to an area reaches; alliance.core.fanout).
        autodiscover_modules("audiences")
