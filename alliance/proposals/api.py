"""API collections of alliance.proposals (see alliance/urls.py: ROUTES = [(prefix, viewset, basename)]).

``/api/v1/proposals/``: anyone lists and reads the public proposals (and, signed in, their own; staff their
subtree's); a signed-in person proposes, supports (POST/DELETE ``support/``) and comments; the community's
admins publish, decline and merge. Proposing, supporting and commenting are rate-limited ("proposal",
"support", "comment")."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle

from alliance.core.inputs import valid_data
from alliance.core.ratelimit import CreateRateThrottle, RateLimited
from alliance.proposals import actions, selectors
from alliance.proposals.filters import ProposalFilter
from alliance.proposals.models import Comment, Proposal
from alliance.proposals.serializers import (
    CommentCreateSerializer,
    CommentSerializer,
    DeclineSerializer,
    MergeSerializer,
    ProposalCreateSerializer,
    ProposalDetailSerializer,
    ProposalSerializer,
)
from grids.models import GridNode


class ActionRateThrottle(CreateRateThrottle):
    """The rate limit of a viewset's writes by action: ``throttle_scopes = {"create": "proposal", ...}`` (a POST
    only: reading comments is not limited)."""

    def allow_request(self, request, view) -> bool:
        scope = getattr(view, "throttle_scopes", {}).get(getattr(view, "action", None))
        if scope is None or request.method != "POST":
            return True
        self.scope = scope
        self.rate = self.get_rate()
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        try:
            allowed = SimpleRateThrottle.allow_request(self, request, view)
        except Exception:  # noqa: BLE001 - the cache is down: let the request through, as the pages do
            return True
        if not allowed:
            raise RateLimited(wait=self.wait())
        return True


class ProposalViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """微建议: residents propose, support and comment; the community publishes, declines or merges; a proposal
    with enough support becomes a committee matter, whose result it shows. List: count, page."""

    filterset_class = ProposalFilter
    throttle_classes = [ActionRateThrottle]
    throttle_scopes = {"create": "proposal", "support": "support", "comments": "comment"}

    def get_permissions(self):
        if self.action in ("list", "retrieve") or (self.action == "comments" and self.request.method == "GET"):
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    def get_queryset(self):
        qs = selectors.visible_proposals(self.request.user).select_related(
            "community", "micro_grid", "author", "matter__committee"
        )
        if self.action == "retrieve":
            qs = qs.prefetch_related("photos")
        return qs.order_by("-submitted_at", "-id")

    def get_serializer_class(self):
        if self.action == "create":
            return ProposalCreateSerializer
        if self.action == "comments":
            return CommentSerializer
        return ProposalSerializer if self.action == "list" else ProposalDetailSerializer

    def _done(self, proposal, code=status.HTTP_200_OK):
        proposal = self.get_queryset().prefetch_related("photos").get(pk=proposal.pk)
        return Response(ProposalDetailSerializer(proposal).data, status=code)

    @extend_schema(request={"multipart/form-data": ProposalCreateSerializer}, responses={201: ProposalDetailSerializer})
    def create(self, request, *args, **kwargs):
        data = valid_data(ProposalCreateSerializer, request)
        data.pop("photos", None)
        photos = request.FILES.getlist("photos") if hasattr(request, "FILES") else []
        nodes = {}
        for name in ("community", "micro_grid"):
            if data.get(name):
                nodes[name] = GridNode.objects.filter(pk=data.pop(name)).first()
                if nodes[name] is None:
                    raise ValidationError({name: [_("网格不存在。")]})
        proposal = actions.submit_proposal(by=request.user, photos=photos, **nodes, **data)
        return self._done(proposal, status.HTTP_201_CREATED)

    @extend_schema(methods=["POST"], request=None, responses=ProposalDetailSerializer)
    @extend_schema(methods=["DELETE"], request=None, responses=ProposalDetailSerializer)
    @action(detail=True, methods=["post", "delete"])
    def support(self, request, pk=None):
        proposal = self.get_object()
        if request.method == "DELETE":
            return self._done(actions.withdraw_support(by=request.user, proposal=proposal))
        return self._done(actions.support_proposal(by=request.user, proposal=proposal))

    @extend_schema(methods=["GET"], responses=CommentSerializer(many=True))
    @extend_schema(methods=["POST"], request=CommentCreateSerializer, responses={201: CommentSerializer})
    @action(detail=True, methods=["get", "post"])
    def comments(self, request, pk=None):
        proposal = self.get_object()
        if request.method == "POST":
            data = valid_data(CommentCreateSerializer, request)
            comment = actions.add_comment(by=request.user, proposal=proposal, text=data["text"])
            return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)
        rows = (
            Comment.objects.filter(proposal=proposal, hidden=False)
            .select_related("author")
            .order_by("created_at", "id")
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(CommentSerializer(page, many=True).data)

    @extend_schema(request=None, responses=ProposalDetailSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._done(actions.publish_proposal(by=request.user, proposal=self.get_object()))

    @extend_schema(request=DeclineSerializer, responses=ProposalDetailSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        data = valid_data(DeclineSerializer, request)
        return self._done(actions.decline_proposal(by=request.user, proposal=self.get_object(), **data))

    @extend_schema(request=MergeSerializer, responses=ProposalDetailSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        data = valid_data(MergeSerializer, request)
        into = Proposal.objects.filter(pk=data["into"]).first()
        proposal = actions.merge_proposal(
            by=request.user, proposal=self.get_object(), into=into, reason=data.get("reason", "")
        )
        return self._done(proposal)


ROUTES = [("proposals", ProposalViewSet, "proposals")]
