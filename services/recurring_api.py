"""Recurring station services (常态化下沉服务) in the API, read-only and public: /api/v1/recurring-services/.

Each with its rule in words and its next occurrences' count; the occurrences themselves are activities
(/api/v1/activities/?recurring_service=<id>), signed up to there.
"""

from django.db.models import Q
from django.utils import timezone
from rest_framework import serializers, viewsets

from alliance.core.api_fields import ModelSerializer, read_text
from services.filters import RecurringServiceFilter
from services.models import RecurringService


class RecurringServiceSerializer(ModelSerializer):
    station_name = read_text("station.name")
    provider = serializers.CharField(source="provider_label", read_only=True)
    rule_text = serializers.CharField(read_only=True)

    class Meta:
        model = RecurringService
        fields = [
            "id",
            "station",
            "station_name",
            "title",
            "kind",
            "kind_label",
            "provider_unit",
            "provider",
            "description",
            "frequency",
            "day_of_month",
            "weekday",
            "starts_time",
            "ends_time",
            "rule_text",
            "capacity",
            "valid_until",
        ]


class RecurringServiceViewSet(viewsets.ReadOnlyModelViewSet):
    """The recurring services of the open stations that still run (active, not past their end): 2 queries a page
    (count, rows with their station and provider unit)."""

    serializer_class = RecurringServiceSerializer
    filterset_class = RecurringServiceFilter

    def get_queryset(self):
        return (
            RecurringService.objects.filter(is_active=True, station__is_active=True)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=timezone.localdate()))
            .select_related("station", "provider_unit")
            .order_by("station__name", "title", "pk")
        )
