"""The public issue board in the API: /api/v1/public-issues/ (read by anyone, no personal fields), “同样遇到”
(POST …/{id}/me-too/, signed in, rate scope "support") and the similar open issues of a report being written
(GET …/similar/?title=&grid_node=&lat=&lng=)."""

from types import SimpleNamespace

import django_filters
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from alliance.core.api_fields import ModelSerializer, read_text
from alliance.core.querying import QueryForm, SearchField, read_api_query
from alliance.core.ratelimit import CreateRateThrottle
from grids.models import GridNode
from grids.querying import GridNodeChoiceField, GridNodeFilter
from services import actions, selectors_board
from services.models import Issue, IssueEvent
from services.phases import ISSUE_PHASES, statuses_of, tab_choices


class MeTooThrottle(CreateRateThrottle):
    """The "support" rate on “同样遇到” (CreateRateThrottle counts a viewset's ``create`` only)."""

    def allow_request(self, request, view) -> bool:
        if getattr(view, "action", None) != "me_too":
            return True
        return super().allow_request(request, SimpleNamespace(action="create", throttle_scope=view.throttle_scope))


class PublicIssueFilter(django_filters.FilterSet):
    community = GridNodeFilter(field_name="grid_node", mode="subtree", label=gettext_lazy("社区（含下级网格）"))
    micro_grid = GridNodeFilter(field_name="grid_node", mode="subtree", label=gettext_lazy("微网格"))
    stage = django_filters.ChoiceFilter(
        choices=tab_choices(ISSUE_PHASES), method="filter_stage", label=gettext_lazy("状态")
    )

    class Meta:
        model = Issue
        fields: list[str] = []

    def filter_stage(self, queryset, name, value):
        return queryset.filter(status__in=statuses_of(ISSUE_PHASES, value))


class PublicEventSerializer(ModelSerializer):
    class Meta:
        model = IssueEvent
        fields = ["kind", "kind_label", "status", "status_label", "at"]


class PublicIssueSerializer(ModelSerializer):
    """A public issue: what, where, the stage, how long, “同样遇到”. No reporter, phone, handler or reply."""

    grid_node_name = read_text("grid_node.name")
    community_name = serializers.SerializerMethodField()
    point = serializers.SerializerMethodField()
    stage = serializers.SerializerMethodField()
    took = serializers.SerializerMethodField()
    me_too_count = serializers.IntegerField(read_only=True)
    outcome_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Issue
        fields = [
            "id",
            "title",
            "text",
            "grid_node",
            "grid_node_name",
            "community_name",
            "location",
            "point",
            "status",
            "status_label",
            "stage",
            "reported_at",
            "outcome_at",
            "took",
            "me_too_count",
        ]

    def get_community_name(self, obj) -> str:
        return selectors_board.community_name(obj)

    def get_point(self, obj) -> list[float] | None:
        return [float(obj.lat), float(obj.lng)] if obj.lat is not None and obj.lng is not None else None

    def get_stage(self, obj) -> str:
        return obj.resident_tag[0]

    def get_took(self, obj) -> str:
        return selectors_board.took(obj)


class PublicIssueDetailSerializer(PublicIssueSerializer):
    timeline = serializers.SerializerMethodField()

    class Meta(PublicIssueSerializer.Meta):
        fields = [*PublicIssueSerializer.Meta.fields, "timeline"]

    @extend_schema_field(PublicEventSerializer(many=True))
    def get_timeline(self, obj) -> list[dict]:
        return PublicEventSerializer(selectors_board.public_timeline(obj), many=True).data


class SimilarQuery(QueryForm):
    title = SearchField(label=gettext_lazy("标题"), required=True, max_length=100)
    grid_node = GridNodeChoiceField(
        label=gettext_lazy("网格"), required=False, queryset=GridNode.objects.only("id", "path", "level", "parent_id")
    )
    lat = forms.DecimalField(
        label=gettext_lazy("纬度"), required=False, min_value=-90, max_value=90, max_digits=12, decimal_places=8
    )
    lng = forms.DecimalField(
        label=gettext_lazy("经度"), required=False, min_value=-180, max_value=180, max_digits=12, decimal_places=8
    )

    def clean(self):
        data = super().clean()
        if (data.get("lat") is None) != (data.get("lng") is None):
            raise forms.ValidationError(_("纬度和经度须同时提供。"))
        return data


class SimilarSerializer(serializers.Serializer):
    issue = PublicIssueSerializer()
    reason = serializers.CharField()
    distance_m = serializers.IntegerField(allow_null=True)


class SimilarListSerializer(serializers.Serializer):
    results = SimilarSerializer(many=True)


class MeTooResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    me_too_count = serializers.IntegerField()


class MeTooEmptySerializer(serializers.Serializer):
    pass


class PublicIssueViewSet(viewsets.ReadOnlyModelViewSet):
    """说事墙: public issues, their stage and “同样遇到”; anyone reads, signed-in residents say “同样遇到”."""

    permission_classes = [permissions.AllowAny]
    filterset_class = PublicIssueFilter
    throttle_classes = [MeTooThrottle]
    throttle_scope = "support"

    def get_queryset(self):
        return selectors_board.public_issues()

    def get_serializer_class(self):
        return PublicIssueSerializer if self.action in ("list", "similar") else PublicIssueDetailSerializer

    @extend_schema(request=MeTooEmptySerializer, responses={201: MeTooResultSerializer})
    @action(
        detail=True,
        methods=["post"],
        url_path="me-too",
        permission_classes=[permissions.IsAuthenticated],
        serializer_class=MeTooEmptySerializer,
    )
    def me_too(self, request, pk=None):
        issue = self.get_object()
        actions.me_too(by=request.user, issue=issue)
        count = issue.me_toos.count()
        return Response({"id": issue.pk, "me_too_count": count}, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter("title", OpenApiTypes.STR, required=True, description=gettext_lazy("新说事的标题")),
            OpenApiParameter("grid_node", OpenApiTypes.INT, description=gettext_lazy("所在社区或微网格")),
            OpenApiParameter("lat", OpenApiTypes.NUMBER, description=gettext_lazy("纬度（WGS84）")),
            OpenApiParameter("lng", OpenApiTypes.NUMBER, description=gettext_lazy("经度（WGS84）")),
        ],
        responses=SimilarListSerializer,
    )
    @action(detail=False)
    def similar(self, request):
        query = read_api_query(request, SimilarQuery)
        node = query.value("grid_node") or (request.user.grid_node if request.user.is_authenticated else None)
        found = selectors_board.similar_issues(
            title=query.value("title"),
            grid_node=node,
            lat=query.value("lat"),
            lng=query.value("lng"),
            exclude_reporter=request.user if request.user.is_authenticated else None,
        )
        data = [{"issue": s.issue, "reason": s.reason, "distance_m": s.distance_m} for s in found]
        return Response({"results": SimilarSerializer(data, many=True, context={"request": request}).data})
