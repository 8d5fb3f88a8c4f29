"""``/api/v1/selections/``: public selections (评选). Everyone reads the voting and published ones (a street's or
community's admin also the drafts and closed ones of their subtree), with the candidates on the detail; a signed-in
resident or party member of the area votes once (``POST …/{id}/vote/``); the ranking is read once published
(``GET …/{id}/results/``). The counts are not public before that; the setup stays in the admin."""

import django_filters
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from alliance.core.api_fields import ModelSerializer, read_text
from alliance.core.inputs import record_id, valid_data
from alliance.core.ratelimit import CreateRateThrottle, RateLimited
from alliance.surveys import actions
from alliance.surveys import selection_selectors as selectors
from alliance.surveys.models import Candidate, Selection, Vote


class VoteRateThrottle(CreateRateThrottle):
    """The "vote" scope on the vote action (CreateRateThrottle counts only ``create``); as there, a cache that is
    down lets the vote through."""

    def allow_request(self, request, view) -> bool:
        if getattr(view, "action", None) != "vote":
            return True
        try:
            allowed = ScopedRateThrottle.allow_request(self, request, view)
        except Exception:  # noqa: BLE001 - the cache is down: let the request through
            return True
        if not allowed:
            raise RateLimited(wait=self.wait())
        return True


class SelectionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Selection.Status.choices, label=_("状态"))

    class Meta:
        model = Selection
        fields = ["status"]


class CandidateSerializer(ModelSerializer):
    community_name = read_text("community.name")
    photo = serializers.ImageField(read_only=True, use_url=True)

    class Meta:
        model = Candidate
        fields = ["id", "name", "story", "photo", "community", "community_name", "position"]
        read_only_fields = fields


class SelectionSerializer(ModelSerializer):
    grid_node_name = read_text("grid_node.name")
    my_vote = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=str(_("本人投给的候选对象编号；未投票或未登录为空。"))
    )

    class Meta:
        model = Selection
        fields = [
            "id",
            "title",
            "description",
            "grid_node",
            "grid_node_name",
            "starts_at",
            "ends_at",
            "places",
            "status",
            "status_label",
            "published_at",
            "my_vote",
        ]
        read_only_fields = fields


class SelectionDetailSerializer(SelectionSerializer):
    candidates = CandidateSerializer(many=True, read_only=True)

    class Meta(SelectionSerializer.Meta):
        fields = [*SelectionSerializer.Meta.fields, "candidates"]
        read_only_fields = fields


class VoteInputSerializer(serializers.Serializer):
    candidate = record_id(help_text=str(_("候选对象编号（本次评选的）。")))


class VoteSerializer(ModelSerializer):
    candidate_name = read_text("candidate.name")

    class Meta:
        model = Vote
        fields = ["id", "selection", "candidate", "candidate_name", "voted_at"]
        read_only_fields = fields


class StandingSerializer(serializers.Serializer):
    candidate = serializers.IntegerField(source="candidate.pk")
    name = serializers.CharField(source="candidate.name")
    community_name = serializers.CharField(source="candidate.community.name")
    votes = serializers.IntegerField()
    share = serializers.FloatField(help_text=str(_("得票率（%）")))
    rank = serializers.IntegerField()
    winner = serializers.BooleanField(help_text=str(_("是否当选")))


class SelectionResultSerializer(serializers.Serializer):
    selection = serializers.IntegerField()
    title = serializers.CharField()
    places = serializers.IntegerField()
    total_votes = serializers.IntegerField()
    standings = StandingSerializer(many=True)


class SelectionViewSet(viewsets.ReadOnlyModelViewSet):
    """评选活动: 草稿 → 投票中 → 已结束 → 已公布 (status: draft, voting, closed, published)."""

    serializer_class = SelectionSerializer
    filterset_class = SelectionFilter
    ordering_fields = ["starts_at", "ends_at", "id"]
    throttle_classes = [VoteRateThrottle]
    throttle_scope = "vote"

    def get_permissions(self):
        if self.action == "vote":
            return [permissions.IsAuthenticated()]
        return [permissions.AllowAny()]

    def get_queryset(self):
        user = self.request.user
        queryset = selectors.visible_selections(user).order_by("-starts_at", "-pk")
        if user.is_authenticated:
            mine = Vote.objects.filter(selection=OuterRef("pk"), voter=user).values("candidate_id")[:1]
            queryset = queryset.annotate(my_vote=Subquery(mine))
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(selectors.candidates_prefetch())
        return queryset

    def get_serializer_class(self):
        if self.action == "retrieve":
            return SelectionDetailSerializer
        return super().get_serializer_class()

    @extend_schema(request=VoteInputSerializer, responses={201: VoteSerializer})
    @action(detail=True, methods=["post"], serializer_class=VoteInputSerializer)
    def vote(self, request, pk=None):
        """One vote per person and selection, while voting, by a resident or party member of the area; a second
        vote is a 409."""
        selection = self.get_object()
        data = valid_data(VoteInputSerializer, request)
        candidate = Candidate.objects.filter(pk=data["candidate"]).first()
        if candidate is None:
            raise ValidationError({"candidate": [str(_("候选对象不存在。"))]})
        vote = actions.cast_vote(by=request.user, selection=selection, candidate=candidate)
        return Response(VoteSerializer(vote).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=SelectionResultSerializer, filters=False)
    @action(detail=True, methods=["get"], serializer_class=SelectionResultSerializer, filterset_class=None)
    def results(self, request, pk=None):
        """The ranking with votes, share and the winners; 404 until the result is published."""
        selection = self.get_object()
        if selection.status != Selection.Status.PUBLISHED:
            raise NotFound(str(_("评选结果尚未公布。")))
        standings = selectors.standings(selection)
        body = {
            "selection": selection.pk,
            "title": selection.title,
            "places": selection.places,
            "total_votes": sum(s.votes for s in standings),
            "standings": standings,
        }
        return Response(SelectionResultSerializer(body).data)
