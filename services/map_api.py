"""The map's data under /api/v1/map/: GeoJSON of the grid and the services, and the stations nearest a point.

Public layers for everyone; the open issues only for staff, within their subtree. Every parameter is bounded
(alliance.core.querying): an unknown layer or node, or a point outside WGS84, answers 400.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from alliance.core.querying import QueryForm, read_api_query
from grids.models import GridNode
from grids.querying import GridNodeChoiceField
from services import maps


class MapQuery(QueryForm):
    layers = forms.MultipleChoiceField(
        label=_("图层"),
        required=False,
        choices=list(maps.LAYERS.items()),
        error_messages={"invalid_choice": _("没有这个图层。")},
    )
    node = GridNodeChoiceField(
        label=_("网格"), required=False, queryset=GridNode.objects.only("id", "path", "level", "street_id")
    )

    def clean_layers(self):
        # ?layers=grids,stations or ?layers=grids&layers=stations
        return list(dict.fromkeys(self.cleaned_data["layers"]))

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and hasattr(data, "getlist"):
            data = data.copy()
            parts = [p for raw in data.getlist("layers") for p in raw.split(",")][:10]
            data.setlist("layers", parts)
        super().__init__(data, *args, **kwargs)


class PointQuery(QueryForm):
    lat = forms.DecimalField(label=_("纬度"), min_value=-90, max_value=90, max_digits=12, decimal_places=8)
    lng = forms.DecimalField(label=_("经度"), min_value=-180, max_value=180, max_digits=12, decimal_places=8)


class MapViewSet(viewsets.ViewSet):
    """The map's features (GeoJSON FeatureCollection) and the nearest stations."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("layers", OpenApiTypes.STR, description=_("图层，逗号分隔：") + ",".join(maps.LAYERS)),
            OpenApiParameter(
                "node", OpenApiTypes.INT, description=_("网格编号：只看该网格及其下级（默认本人所在街道）")
            ),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def list(self, request):
        query = read_api_query(request, MapQuery)
        node = query.value("node") or maps.default_node(request.user)
        layers = query.value("layers") or [*maps.PUBLIC_LAYERS, "issues"]
        return Response(maps.map_collection(request.user, node=node, layers=layers))

    @extend_schema(
        parameters=[
            OpenApiParameter("lat", OpenApiTypes.NUMBER, required=True, description=_("纬度（WGS84）")),
            OpenApiParameter("lng", OpenApiTypes.NUMBER, required=True, description=_("经度（WGS84）")),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=False)
    def nearest(self, request):
        query = read_api_query(request, PointQuery)
        lat, lng = query.cleaned_data["lat"], query.cleaned_data["lng"]
        return Response(
            {
                "results": [
                    {"id": s.pk, "name": s.name, "address": s.address, "distance_m": metres}
                    for s, metres in maps.nearest_stations(lat, lng)
                ]
            }
        )
