from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The kernel under every domain app: it imports none of them."""

    name = "alliance.core"
    label = "core"
    verbose_name = _("系统")

    def ready(self):
        from alliance.core.schedules import sync_default_schedules

        # Registers each app's default beat schedule once; later admin edits are kept.
        post_migrate.connect(sync_default_schedules, sender=self, dispatch_uid="core.sync_schedules")

        # Cached pages, fragments and API lists are forgotten whenever what they show changes.
        from alliance.core.cache import connect_signals

        connect_signals()

        # Date-times of every ModelSerializer through the API's own field (alliance.core.api_fields).
        from django.db import models
        from rest_framework import serializers

        from alliance.core.api_fields import DateTimeField

        serializers.ModelSerializer.serializer_field_mapping[models.DateTimeField] = DateTimeField

        # Pillow refuses to open images beyond twice this (decompression bombs); photos are checked against
        # PHOTO_MAX_PIXELS itself before decoding (alliance.core.photos).
        from django.conf import settings
        from PIL import Image

        Image.MAX_IMAGE_PIXELS = settings.PHOTO_MAX_PIXELS

        # Each run of a periodic job is recorded (JobRun) from Celery's task signals.
        from alliance.core import job_runs  # noqa: F401

        # Each app's receivers of domain events (<app>/handlers.py), connected once (alliance.core.events).
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("handlers")
