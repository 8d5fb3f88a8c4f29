"""API collections of points and statistics: /api/v1/points/ and /api/v1/stats/ (listed in alliance.committee.api.ROUTES)."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from alliance.core.api_fields import ModelSerializer
from alliance.core.querying import ChoiceField, DateField, DateFilter, IdField, QueryForm, YearField, read_api_query
from alliance.core.replica import reads_from_replica
from alliance.core.scoping import scope_queryset
from alliance.points.models import PointsEntry, PointsKind
from alliance.site import district_stats, stats
from grids.models import GridNode


class PointsEntrySerializer(ModelSerializer):
    member_name = serializers.CharField(source="member.name", default="", read_only=True)
    unit_name = serializers.CharField(source="unit.name", default="", read_only=True)

    class Meta:
        model = PointsEntry
        fields = [
            "id",
            "member",
            "member_name",
            "unit",
            "unit_name",
            "kind",
            "kind_label",
            "points",
            "hours",
            "reason",
            "occurred_on",
            "corrects",
        ]


class PointsEntryFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=PointsKind.choices)
    occurred_after = DateFilter(field_name="occurred_on", lookup_expr="gte")
    occurred_before = DateFilter(field_name="occurred_on", lookup_expr="lte")

    class Meta:
        model = PointsEntry
        fields = ["kind", "member", "unit"]


class PointsEntryViewSet(viewsets.ReadOnlyModelViewSet):
    """Points entries: a party member's own, a unit operator's unit's, staff's in their subtree."""

    serializer_class = PointsEntrySerializer
    filterset_class = PointsEntryFilter
    permission_classes = [permissions.IsAuthenticated]
    queryset = PointsEntry.objects.none()  # the schema's model; get_queryset decides

    def get_queryset(self):
        user = self.request.user
        qs = PointsEntry.objects.select_related("member", "unit").order_by("-occurred_on", "-id")
        if user.is_staff_role:
            return scope_queryset(qs, user)
        own = Q(member__user=user)
        if user.unit_id:
            own |= Q(unit_id=user.unit_id)
        return qs.filter(own)


class StatsQuery(QueryForm):
    street = IdField(label=gettext_lazy("街道"))
    year = YearField(label=gettext_lazy("年度"))


class StatsViewSet(viewsets.ViewSet):
    """The public figures of a street for a year (the same as /alliance/figures/)."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("street", OpenApiTypes.INT, description="街道编号（默认第一个街道）"),
            OpenApiParameter("year", OpenApiTypes.INT, description="年度（默认今年）"),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    @reads_from_replica
    def list(self, request):
        today = timezone.localdate()
        streets = GridNode.objects.streets().order_by("sort_order", "id")
        query = read_api_query(request, StatsQuery)
        street_id, year = query.value("street"), query.value("year") or today.year
        street = streets.filter(pk=street_id).first() if street_id else streets.first()
        if street is None and street_id:
            raise ValidationError({"street": [_("街道不存在。")]})
        if street is None:
            return Response({})
        f = stats.public_figures(street=street, year=year, today=today)
        top = f.pop("top10")
        return Response(
            {
                "street": {"id": street.pk, "name": street.name},
                "year": year,
                **{k: v for k, v in f.items() if k != "lists"},
                "lists": {**f["lists"], "pledged": str(f["lists"]["pledged"])},
                "top10": {"published": top["published"], "rows": top["rows"]},
            }
        )


class DistrictStatsQuery(QueryForm):
    year = YearField(label=gettext_lazy("年度"))
    start = DateField(label=gettext_lazy("起始日期"))
    end = DateField(label=gettext_lazy("截止日期"))
    rank = ChoiceField(label=gettext_lazy("排名指标"), choices=[(k, v[0]) for k, v in district_stats.MEASURES.items()])
    trend = ChoiceField(label=gettext_lazy("趋势指标"), choices=list(district_stats.TRENDS.items()))


class DistrictStatsViewSet(viewsets.ViewSet):
    """The district's figures: every street side by side, the district's totals, a ranking of streets and a
    monthly trend (the same as /alliance/figures/ without a street); a fixed number of queries, cached."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT, description="年度（默认今年）"),
            OpenApiParameter("start", OpenApiTypes.DATE, description="起始日期（含）"),
            OpenApiParameter("end", OpenApiTypes.DATE, description="截止日期（含）"),
            OpenApiParameter("rank", OpenApiTypes.STR, description="排名指标", enum=list(district_stats.MEASURES)),
            OpenApiParameter("trend", OpenApiTypes.STR, description="趋势指标", enum=list(district_stats.TRENDS)),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    @reads_from_replica
    def list(self, request):
        query = read_api_query(request, DistrictStatsQuery)
        today = timezone.localdate()
        start, end, year = district_stats.period(query.value("start"), query.value("end"), query.value("year"), today)
        rank_by = query.value("rank") or district_stats.DEFAULT_RANK
        trend = query.value("trend") or district_stats.DEFAULT_TREND
        d = district_stats.cached_figures(start=start, end=end, rank_by=rank_by, trend=trend)

        def plain(row):
            return {k: v for k, v in row.items() if k != "cells"}

        return Response(
            {
                "district": d["totals"]["name"],
                "start": start,
                "end": end,
                "year": year,
                "columns": [{"key": k, "label": str(label)} for k, label in district_stats.COLUMNS],
                "streets": [plain(r) for r in d["streets"]],
                "totals": plain(d["totals"]),
                "ranking": {"measure": rank_by, "label": str(d["ranking_label"]), "rows": d["ranking"]},
                "trend": {"measure": trend, **d["trend"]},
            }
        )


ROUTES = [
    ("points", PointsEntryViewSet, "points"),
    ("stats", StatsViewSet, "stats"),
    ("district-stats", DistrictStatsViewSet, "district-stats"),
]
