"""API collections of the three lists, registered under /api/v1/ by alliance.urls.

Public read where the data is public (categories, resources, needs, published projects, pledges,
published wishes); writes need an account and the right role (checked in ``projects.actions``).
Transitions are POST actions: ``projects/{id}/claim/``, ``claims/{id}/approve/`` and so on.
Each list runs a fixed number of queries: the count and one page with its joins (see the tests).
"""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from alliance.core.cache import CachedListMixin
from alliance.core.inputs import path_id, valid_data
from projects import actions, selectors
from projects.filters import (
    ClaimFilter,
    MatchFilter,
    NeedFilter,
    PledgeFilter,
    ProjectFilter,
    ResourceFilter,
    WishFilter,
)
from projects.models import Claim, Match, Project
from projects.serializers import (
    CategorySerializer,
    ClaimDetailSerializer,
    ClaimSerializer,
    DecisionNoteSerializer,
    EvaluateSerializer,
    ExpenditureInputSerializer,
    ExpenditureSerializer,
    MatchSerializer,
    NeedReviewSerializer,
    NeedSerializer,
    NoteSerializer,
    PledgeInputSerializer,
    PledgeSerializer,
    ProjectSerializer,
    RaisedMatterSerializer,
    ReportCreatedSerializer,
    ReportSerializer,
    ResourceSerializer,
    ReviewSerializer,
    ThanksSerializer,
    WishSerializer,
)


def _fields(serializer) -> dict:
    data = dict(serializer.validated_data)
    return data


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """Two-level categories shared by the lists and the service menu. List: count, page."""

    serializer_class = CategorySerializer
    permission_classes = [permissions.AllowAny]
    filterset_fields = ["parent"]

    def get_queryset(self):
        return selectors.categories()


class ResourceViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """资源清单. List: count, page (category, unit, grid node joined)."""

    serializer_class = ResourceSerializer
    filterset_class = ResourceFilter
    ordering_fields = ["created_at", "title", "quantity"]

    def get_queryset(self):
        return selectors.visible_resources(self.request.user).order_by("-created_at", "-id")

    def perform_create(self, serializer):
        data = _fields(serializer)
        serializer.instance = actions.create_resource(by=self.request.user, **data)

    @extend_schema(request=None, responses=ResourceSerializer)
    @action(detail=True, methods=["post"])
    def retire(self, request, pk=None):
        resource = actions.retire_resource(by=request.user, resource=self.get_object())
        return Response(ResourceSerializer(resource).data)

    @extend_schema(request=None, responses=ResourceSerializer)
    @action(detail=True, methods=["post"])
    def republish(self, request, pk=None):
        resource = actions.republish_resource(by=request.user, resource=self.get_object())
        return Response(ResourceSerializer(resource).data)


class NeedViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """需求清单 and 问题清单 (``kind``). List: count, page."""

    serializer_class = NeedSerializer
    filterset_class = NeedFilter
    ordering_fields = ["created_at", "wanted_by", "people_affected"]

    def get_queryset(self):
        # The list holds reviewed needs only; one need (and its actions) also a unit's own or staff's in scope.
        visible = selectors.listed_needs if self.action == "list" else selectors.visible_needs
        return visible(self.request.user).order_by("-created_at", "-id")

    def perform_create(self, serializer):
        user = self.request.user
        if user.role == user.Role.UNIT_OPERATOR:
            # A unit's need waits for review (待审核); the unit's own kind is always a need.
            data = {k: v for k, v in _fields(serializer).items() if k != "kind"}
            serializer.instance = actions.submit_unit_need(by=user, **data)
        else:
            serializer.instance = actions.create_need(by=user, **_fields(serializer))

    @extend_schema(request=NeedReviewSerializer, responses=NeedSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """Admins in scope approve a unit's need (public from then on), return it or decline it (with a note)."""
        data = valid_data(NeedReviewSerializer, request)
        need = actions.review_unit_need(by=request.user, need=self.get_object(), **data)
        return Response(NeedSerializer(need).data)

    @extend_schema(request=None, responses=NeedSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        need = actions.close_need(by=request.user, need=self.get_object())
        return Response(NeedSerializer(need).data)

    @extend_schema(request=None, responses={201: RaisedMatterSerializer})
    @action(detail=True, methods=["post"], url_path="raise-matter")
    def raise_matter(self, request, pk=None):
        """Put the need to its street's joint committee (大工委)."""
        matter = actions.raise_need_to_committee(by=request.user, need=self.get_object())
        return Response({"matter": matter.pk, "title": matter.title}, status=status.HTTP_201_CREATED)


class ProjectViewSet(CachedListMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """项目清单 with crowdfunding totals. List: count, page (totals as subqueries)."""

    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    cache_groups = ("lists", "units", "grid")
    ordering_fields = ["created_at", "deadline", "capacity"]

    def get_queryset(self):
        return selectors.visible_projects(self.request.user).order_by("-created_at", "-id")

    def perform_create(self, serializer):
        project = actions.create_project(by=self.request.user, **_fields(serializer))
        serializer.instance = selectors.visible_projects(self.request.user).get(pk=project.pk)

    def _answer(self, project, code=status.HTTP_200_OK):
        return Response(ProjectSerializer(self.get_queryset().get(pk=project.pk)).data, status=code)

    @extend_schema(request=None, responses=ProjectSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._answer(actions.publish_project(by=request.user, project=self.get_object()))

    # The project is found by its id alone: the list's filters (a filterset and its form built for every claim,
    # a fifth of the claim's work) have nothing to say about one project. It is read once, by the action under
    # its lock (get_object read it a first time: a query and a fifth of the claim again); one that is missing or
    # that the claimer may not see is a 404, as get_object answers.
    @extend_schema(request=NoteSerializer, responses={201: ClaimSerializer})
    @action(detail=True, methods=["post"], filter_backends=[])
    def claim(self, request, pk=None):
        """Claim the project: an operator for the unit, a party member or resident as a person (on a project that
        allows individuals, within its individual places); 201, or 409 when it is full or already claimed."""
        data = valid_data(NoteSerializer, request)
        try:
            project = Project(pk=path_id(pk))
            claim = actions.claim_project(by=request.user, project=project, note=data["note"], hide_unseen=True)
        except Project.DoesNotExist:
            raise Http404 from None
        return Response(ClaimSerializer(claim).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ProjectSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self._answer(actions.complete_project(by=request.user, project=self.get_object()))

    @extend_schema(request=None, responses=ProjectSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._answer(actions.cancel_project(by=request.user, project=self.get_object()))

    @extend_schema(request=PledgeInputSerializer, responses={201: PledgeSerializer})
    @action(detail=True, methods=["post"])
    def pledge(self, request, pk=None):
        data = valid_data(PledgeInputSerializer, request)
        pledge = actions.add_pledge(by=request.user, project=self.get_object(), **data)
        return Response(PledgeSerializer(pledge).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], request=None, responses=ExpenditureSerializer(many=True))
    @extend_schema(methods=["POST"], request=ExpenditureInputSerializer, responses={201: ExpenditureSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def expenditures(self, request, pk=None):
        """The public account of a crowdfunding project; POST adds a line (staff)."""
        project = self.get_object()
        if request.method == "POST":
            data = valid_data(ExpenditureInputSerializer, request)
            line = actions.add_expenditure(by=request.user, project=project, **data)
            return Response(ExpenditureSerializer(line).data, status=status.HTTP_201_CREATED)
        return Response(ExpenditureSerializer(project.expenditures.all(), many=True).data)


class ClaimViewSet(viewsets.ReadOnlyModelViewSet):
    """Claims: staff see their subtree, operators their unit's. List: count, page."""

    filterset_class = ClaimFilter
    permission_classes = [permissions.IsAuthenticated]
    ordering_fields = ["claimed_at", "status"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Claim.objects.none()
        qs = selectors.visible_claims(self.request.user).order_by("-claimed_at", "-id")
        if self.action == "retrieve":
            qs = qs.prefetch_related("reports__photos")
        return qs

    def get_serializer_class(self):
        return ClaimDetailSerializer if self.action == "retrieve" else ClaimSerializer

    def _note(self, request) -> str:
        return valid_data(DecisionNoteSerializer, request)["note"]

    @extend_schema(request=NoteSerializer, responses=ClaimSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return Response(
            ClaimSerializer(
                actions.approve_claim(by=request.user, claim=self.get_object(), note=self._note(request))
            ).data
        )

    @extend_schema(request=NoteSerializer, responses=ClaimSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return Response(
            ClaimSerializer(
                actions.reject_claim(by=request.user, claim=self.get_object(), note=self._note(request))
            ).data
        )

    @extend_schema(request={"multipart/form-data": ReportSerializer}, responses={201: ReportCreatedSerializer})
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        """A progress report: ``text`` and up to 9 ``photos`` (multipart)."""
        data = valid_data(ReportSerializer, request)  # multipart: photos are the files under "photos"
        report = actions.report_progress(by=request.user, claim=self.get_object(), **data)
        return Response({"id": report.pk, "text": report.text}, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ClaimSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return Response(ClaimSerializer(actions.complete_claim(by=request.user, claim=self.get_object())).data)

    @extend_schema(request=EvaluateSerializer, responses=ClaimSerializer)
    @action(detail=True, methods=["post"])
    def evaluate(self, request, pk=None):
        data = valid_data(EvaluateSerializer, request)
        claim = actions.evaluate_claim(by=request.user, claim=self.get_object(), **data)
        return Response(ClaimSerializer(claim).data)


class PledgeViewSet(viewsets.ReadOnlyModelViewSet):
    """Pledges to crowdfunding projects, public (persons' names masked). List: count, page."""

    serializer_class = PledgeSerializer
    filterset_class = PledgeFilter
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        return selectors.visible_pledges(self.request.user).order_by("-pledged_at", "-id")


class MatchViewSet(viewsets.ReadOnlyModelViewSet):
    """Suggestions of the matching job, for staff in scope (and units for their own). List: count, page."""

    serializer_class = MatchSerializer
    filterset_class = MatchFilter
    permission_classes = [permissions.IsAuthenticated]
    ordering_fields = ["score", "created_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Match.objects.none()
        return selectors.visible_matches(self.request.user).order_by("need_id", "-score", "id")

    @extend_schema(request=None, responses=MatchSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return Response(MatchSerializer(actions.accept_match(by=request.user, match=self.get_object())).data)

    @extend_schema(request=None, responses=MatchSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        return Response(MatchSerializer(actions.dismiss_match(by=request.user, match=self.get_object())).data)


class WishViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """微心愿: residents post, the community reviews, one party member or unit claims. List: count, page."""

    serializer_class = WishSerializer
    filterset_class = WishFilter

    def get_queryset(self):
        return selectors.visible_wishes(self.request.user).order_by("-created_at", "-id")

    def perform_create(self, serializer):
        serializer.instance = actions.submit_wish(by=self.request.user, **_fields(serializer))

    @extend_schema(request=ReviewSerializer, responses=WishSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        data = valid_data(ReviewSerializer, request)
        wish = actions.review_wish(by=request.user, wish=self.get_object(), **data)
        return Response(WishSerializer(wish).data)

    @extend_schema(request=None, responses=WishSerializer)
    @action(detail=True, methods=["post"], url_path="claim")
    def claim_wish(self, request, pk=None):
        return Response(WishSerializer(actions.claim_wish(by=request.user, wish=self.get_object())).data)

    @extend_schema(request=None, responses=WishSerializer)
    @action(detail=True, methods=["post"])
    def fulfil(self, request, pk=None):
        return Response(WishSerializer(actions.fulfil_wish(by=request.user, wish=self.get_object())).data)

    @extend_schema(request=ThanksSerializer, responses=WishSerializer)
    @action(detail=True, methods=["post"])
    def thank(self, request, pk=None):
        data = valid_data(ThanksSerializer, request)
        wish = actions.thank_wish(by=request.user, wish=self.get_object(), **data)
        return Response(WishSerializer(wish).data)


ROUTES = [
    ("categories", CategoryViewSet, "categories"),
    ("resources", ResourceViewSet, "resources"),
    ("needs", NeedViewSet, "needs"),
    ("projects", ProjectViewSet, "projects"),
    ("claims", ClaimViewSet, "claims"),
    ("pledges", PledgeViewSet, "pledges"),
    ("matches", MatchViewSet, "matches"),
    ("wishes", WishViewSet, "wishes"),
]
