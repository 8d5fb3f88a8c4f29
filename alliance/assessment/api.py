"""API collection of the assessment, registered under /api/v1/ by alliance.urls: ``assessments`` (read-only).

The public and every signed-in person see published assessments; staff also see the drafts of the streets in
their subtree. List: 2 queries (count, page); detail: 2 (the assessment, its results).
"""

from django.db.models import Prefetch
from rest_framework import viewsets

from alliance.assessment import selectors
from alliance.assessment.filters import AssessmentFilter
from alliance.assessment.models import AssessmentResult
from alliance.assessment.serializers import AssessmentDetailSerializer, AssessmentSerializer


class AssessmentViewSet(viewsets.ReadOnlyModelViewSet):
    filterset_class = AssessmentFilter
    ordering_fields = ["year"]

    def get_queryset(self):
        qs = selectors.visible_assessments(self.request.user)
        if self.action == "retrieve":
            qs = qs.prefetch_related(
                Prefetch("results", queryset=AssessmentResult.objects.order_by("kind", "rank", "id"))
            )
        return qs

    def get_serializer_class(self):
        return AssessmentDetailSerializer if self.action == "retrieve" else AssessmentSerializer


ROUTES = [("assessments", AssessmentViewSet, "assessment")]
