"""API of dual reporting: /api/v1/dual-reports/ — a member lists, creates and resubmits their own report; staff
list the reports of their subtree, and the community's admins confirm or return them."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from alliance.core.inputs import valid_data
from alliance.volunteering import actions, selectors
from alliance.volunteering.actions._common import NOT_YOURS
from alliance.volunteering.serializers import (
    DualReportCreateSerializer,
    DualReportInputSerializer,
    DualReportReturnSerializer,
    DualReportSerializer,
)


class DualReportEmptySerializer(serializers.Serializer):
    """No body (the schema's name for it)."""


class DualReportViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """双报到: submitted → confirmed / returned (with the reason) → resubmitted → confirmed / returned."""

    serializer_class = DualReportSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return selectors.reports_for(self.request.user).order_by("-submitted_at", "-pk")

    def _answer(self, report, code=status.HTTP_200_OK):
        report = self.get_queryset().get(pk=report.pk)  # with its links and skills, as the list shows it
        return Response(DualReportSerializer(report, context={"request": self.request}).data, status=code)

    @extend_schema(request=DualReportCreateSerializer, responses={201: DualReportSerializer})
    def create(self, request, *args, **kwargs):
        if not actions.can_report(request.user):
            raise PermissionDenied(_("只有党员可以报到。"))
        data = valid_data(DualReportCreateSerializer, request)
        report = actions.submit_report(by=request.user, **data)
        return self._answer(report, status.HTTP_201_CREATED)

    @extend_schema(request=DualReportInputSerializer, responses=DualReportSerializer)
    @action(detail=True, methods=["post"], serializer_class=DualReportInputSerializer)
    def resubmit(self, request, pk=None):
        """returned → resubmitted, by the member, with the corrected fields."""
        report = self.get_object()
        if report.member.user_id != request.user.pk:
            raise PermissionDenied(_("只能修改本人的报到。"))
        data = valid_data(DualReportInputSerializer, request)
        return self._answer(actions.resubmit_report(by=request.user, dual_report=report, **data))

    @extend_schema(request=None, responses=DualReportSerializer)
    @action(detail=True, methods=["post"], serializer_class=DualReportEmptySerializer)
    def confirm(self, request, pk=None):
        """waiting → confirmed, by the admins of the community (or the street above)."""
        return self._answer(actions.confirm_report(by=request.user, dual_report=self.get_object()))

    @extend_schema(request=DualReportReturnSerializer, responses=DualReportSerializer)
    @action(detail=True, methods=["post"], url_path="return", serializer_class=DualReportReturnSerializer)
    def return_report(self, request, pk=None):
        """waiting → returned, with the reason the member reads."""
        report = self.get_object()
        if not actions.can_decide(request.user, report):
            raise PermissionDenied(NOT_YOURS)
        data = valid_data(DualReportReturnSerializer, request)
        return self._answer(actions.return_report(by=request.user, dual_report=report, reason=data["reason"]))


ROUTES = [("dual-reports", DualReportViewSet, "dual-report")]
