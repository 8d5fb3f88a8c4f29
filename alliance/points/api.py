"""/api/v1/wall/: the kept monthly walls (公示) of stations and points, public and read-only.

Each snapshot carries its rows as posted: names and figures only (a member's name, a party organisation's
name, the index, the month's points), never a phone or any other personal detail.
"""

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from rest_framework import permissions, serializers, viewsets

from alliance.core.api_fields import ModelSerializer
from alliance.core.cache import CachedListMixin
from alliance.core.querying import IdField, MonthField, YearField
from alliance.points.models import WallSnapshot, WallSnapshotRow


class WallRowSerializer(ModelSerializer):
    class Meta:
        model = WallSnapshotRow
        fields = ["rank", "name", "index", "points", "completed_claims"]


class WallSnapshotSerializer(ModelSerializer):
    station_name = serializers.CharField(source="station.name", read_only=True)
    station_kind = serializers.CharField(source="station.kind", read_only=True)
    rows = WallRowSerializer(many=True, read_only=True)

    class Meta:
        model = WallSnapshot
        fields = [
            "id",
            "station",
            "station_name",
            "station_kind",
            "year",
            "month",
            "board",
            "board_label",
            "rule",
            "stars",
            "taken_at",
            "rows",
        ]


class _IdFilter(django_filters.NumberFilter):
    field_class = IdField


class _YearFilter(django_filters.NumberFilter):
    field_class = YearField


class _MonthFilter(django_filters.NumberFilter):
    field_class = MonthField


class WallSnapshotFilter(django_filters.FilterSet):
    station = _IdFilter(field_name="station_id", label=_("党群服务阵地编号"))
    year = _YearFilter(field_name="year", label=_("年"))
    month = _MonthFilter(field_name="month", label=_("月"))
    board = django_filters.ChoiceFilter(choices=WallSnapshot.Board.choices, label=_("公示内容"))

    class Meta:
        model = WallSnapshot
        fields = ["station", "year", "month", "board"]


class WallSnapshotViewSet(CachedListMixin, viewsets.ReadOnlyModelViewSet):
    """月度公示留存: each station's fortress indexes, each point's members' points and pioneer indexes, as kept
    on the 1st of the next month (public)."""

    serializer_class = WallSnapshotSerializer
    filterset_class = WallSnapshotFilter
    permission_classes = [permissions.AllowAny]
    ordering_fields = ["id", "year", "month"]
    cache_groups = ("wall", "menu")

    def get_queryset(self):
        rows = Prefetch("rows", WallSnapshotRow.objects.order_by("rank", "id"))
        return (
            WallSnapshot.objects.select_related("station")
            .prefetch_related(rows)
            .order_by("-year", "-month", "station_id", "id")
        )


ROUTES = [("wall", WallSnapshotViewSet, "wall")]
