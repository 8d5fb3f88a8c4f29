from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AllianceConfig(AppConfig):
    name = "alliance"
    verbose_name = _("大工委与联席会议")

    def ready(self):
        from alliance.schedules import sync_default_schedules

        # Registers each app's default beat schedule once; later admin edits are kept.
        post_migrate.connect(sync_default_schedules, sender=self, dispatch_uid="alliance.sync_schedules")

        # Cached pages, fragments and API lists are forgotten whenever what they show changes.
        from alliance.cache import connect_signals

        connect_signals()

        # Date-times of every ModelSerializer through the API's own field (alliance.api_fields).
        from django.db import models
        from rest_framework import serializers

        from alliance.api_fields import DateTimeField

        serializers.ModelSerializer.serializer_field_mapping[models.DateTimeField] = DateTimeField

        # Pillow refuses to open images beyond twice this (decompression bombs); photos are checked against
        # PHOTO_MAX_PIXELS itself before decoding (services.photos).
        from django.conf import settings
        from PIL import Image

        Image.MAX_IMAGE_PIXELS = settings.PHOTO_MAX_PIXELS

        # Each run of a periodic job is recorded (JobRun) from Celery's task signals.
        from alliance import job_runs  # noqa: F401
