"""API collections of points and statistics: /api/v1/points/ and /api/v1/stats/ (listed in alliance.committee.api.ROUTES)."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from alliance.core.api_fields import ModelSerializer
from alliance.core.querying import DateFilter, IdField, QueryForm, YearField, read_api_query
from alliance.core.scoping import scope_queryset
from alliance.points.models import PointsEntry, PointsKind
from alliance.site import stats
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
    street = IdField(label="街道")
    year = YearField(label="年度")


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


ROUTES = [
    ("points", PointsEntryViewSet, "points"),
    ("stats", StatsViewSet, "stats"),
]
