"""API collections of this app, registered under /api/v1/ by alliance.urls.

``units``: public read of active member units (contact phone masked; staff in scope see it in full).
``members``: party members, staff only (admins and grid workers), scoped to the subtree; ``skills``.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from alliance.core.cache import CachedListMixin
from alliance.core.inputs import model_char, model_int, valid_data
from grids.api import GridNodeViewSet
from grids.selectors import count_subquery
from members import actions, selectors
from members.filters import MemberUnitFilter, PairingFilter, PartyMemberFilter
from members.models import MemberUnit, Pairing, PairingService, PartyMember
from members.serializers import (
    MemberUnitSerializer,
    PairingSerializer,
    PairingServiceSerializer,
    PartyMemberSerializer,
    SkillCountSerializer,
)


class UnitProfileSerializer(serializers.Serializer):
    """What a unit keeps itself (PATCH: any of them). A logo is a JPG, PNG or WEBP upload (multipart); null removes it."""

    contact_name = model_char(MemberUnit, "contact_name", required=False)
    contact_phone = model_char(MemberUnit, "contact_phone", required=False)
    address = model_char(MemberUnit, "address", required=False)
    introduction = model_char(MemberUnit, "introduction", required=False, max_length=actions.UNIT_INTRODUCTION_MAX)
    logo = serializers.FileField(required=False, allow_null=True, allow_empty_file=False)


class IsSignedInToWrite(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or bool(request.user and request.user.is_authenticated)


class IsStaffRole(permissions.BasePermission):
    message = gettext_lazy("只有街道、社区管理员和网格员可以查看党员信息。")

    def has_permission(self, request, view):
        return selectors.is_staff_viewer(request.user)


class MemberUnitViewSet(CachedListMixin, viewsets.ReadOnlyModelViewSet):
    """Member units (成员单位). List: count, page (with grid node and party organisation), + the viewer's node."""

    serializer_class = MemberUnitSerializer
    cache_groups = ("units", "grid")
    filterset_class = MemberUnitFilter
    permission_classes = [IsSignedInToWrite]
    ordering_fields = ["name", "joined_on", "star_rating", "id"]
    ordering = ["name"]
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        qs = selectors.visible_units(self.request.user)
        user = self.request.user
        if self.action == "partial_update" and getattr(user, "unit_id", None):
            qs = qs | MemberUnit.objects.filter(pk=user.unit_id)  # one's own unit, even while suspended
        return qs.order_by("name", "id")

    @extend_schema(
        request={"application/json": UnitProfileSerializer, "multipart/form-data": UnitProfileSerializer},
        responses=MemberUnitSerializer,
    )
    def partial_update(self, request, *args, **kwargs):
        """A unit's operator (or an admin in scope) changes the unit's contacts, address, introduction or logo.

        The credit code, kind, status, star rating and grid placement stay with staff: naming them is a 400.
        """
        unit = self.get_object()
        fields = dict(valid_data(UnitProfileSerializer, request, partial=True))
        fields.update({name: request.data[name] for name in actions.UNIT_STAFF_FIELDS if name in request.data})
        unit = actions.update_unit_profile(by=request.user, unit=unit, **fields)
        unit = MemberUnit.objects.select_related("grid_node", "party_organization").get(pk=unit.pk)
        return Response(self.get_serializer(unit).data)


class PartyMemberViewSet(viewsets.ReadOnlyModelViewSet):
    """Party members (党员) in the viewer's subtree. List: count, page, skills."""

    serializer_class = PartyMemberSerializer
    filterset_class = PartyMemberFilter
    permission_classes = [IsStaffRole]
    ordering_fields = ["name", "reported_on", "id"]
    ordering = ["name", "id"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return PartyMember.objects.none()
        qs = selectors.staff_party_members(self.request.user).order_by("name", "id")
        if "skill" in self.request.query_params:
            qs = qs.distinct()
        return qs

    @extend_schema(responses=SkillCountSerializer(many=True))
    @action(
        detail=False, methods=["get"], serializer_class=SkillCountSerializer, filterset_class=None, filter_backends=[]
    )
    def skills(self, request):
        """Skill tags with the number of active party members in the subtree who have them."""
        queryset = selectors.skill_counts(request.user)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(SkillCountSerializer(page, many=True).data)


class GridNodeWithUnitsViewSet(GridNodeViewSet):
    """The public grid (grids.api) with each node's number of active member units."""

    cache_groups = ("grid", "units")

    def counts(self) -> dict:
        units = MemberUnit.objects.filter(grid_node=OuterRef("pk"), status="active")
        return {**super().counts(), "unit_count": count_subquery(units, "grid_node")}


class PairingServiceInput(serializers.Serializer):
    """A service delivered under a pairing (POST …/pairings/<id>/services/)."""

    served_on = serializers.DateField()
    side = serializers.ChoiceField(choices=Pairing.Side.choices)
    what = model_char(PairingService, "what")
    people_served = model_int(PairingService, "people_served", default=0, max_value=100000)
    hours = serializers.DecimalField(max_digits=6, decimal_places=1, min_value=0, max_value=1000, required=False)
    link_text = model_char(PairingService, "link_text", required=False)


class PairingViewSet(viewsets.ReadOnlyModelViewSet):
    """结对共建: active pairings for everyone (what was promised, what was done); staff also see ended ones in their
    subtree, a unit's operator its own. List: count, page, commitments, services, reviews."""

    serializer_class = PairingSerializer
    filterset_class = PairingFilter
    permission_classes = [IsSignedInToWrite]
    ordering_fields = ["starts_on", "ends_on", "id"]
    ordering = ["-starts_on", "-id"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Pairing.objects.none()
        return selectors.pairing_list(self.request.user)

    @extend_schema(request=PairingServiceInput, responses={201: PairingServiceSerializer})
    @action(detail=True, methods=["post"], serializer_class=PairingServiceInput, filterset_class=None)
    def services(self, request, pk=None):
        """Record a service delivered under the pairing: either unit's operator or an admin in scope."""
        pairing = self.get_object()
        if not actions.may_record_service(request.user, pairing):  # who may, before what was sent
            raise PermissionDenied(_("只有结对双方单位的联络员或本社区管理员可以登记结对服务。"))
        data = dict(valid_data(PairingServiceInput, request))
        service = actions.record_service(by=request.user, pairing=pairing, **data)
        return Response(PairingServiceSerializer(service).data, status=201)


ROUTES = [
    ("grids", GridNodeWithUnitsViewSet, "grids"),
    ("units", MemberUnitViewSet, "units"),
    ("members", PartyMemberViewSet, "members"),
    ("pairings", PairingViewSet, "pairings"),
]
