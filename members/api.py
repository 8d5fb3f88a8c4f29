"""API collections of this app, registered under /api/v1/ by alliance.urls.

``units``: public read of active member units (contact phone masked; staff in scope see it in full).
``members``: party members, staff only (admins and grid workers), scoped to the subtree; ``skills``.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, viewsets
from rest_framework.decorators import action

from alliance.cache import CachedListMixin
from members import selectors
from members.filters import MemberUnitFilter, PartyMemberFilter
from members.models import PartyMember
from members.serializers import MemberUnitSerializer, PartyMemberSerializer, SkillCountSerializer


class IsStaffRole(permissions.BasePermission):
    message = "只有街道、社区管理员和网格员可以查看党员信息。"

    def has_permission(self, request, view):
        return selectors.is_staff_viewer(request.user)


class MemberUnitViewSet(CachedListMixin, viewsets.ReadOnlyModelViewSet):
    """Member units (成员单位). List: count, page (with grid node and party organisation), + the viewer's node."""

    serializer_class = MemberUnitSerializer
    cache_groups = ("units", "grid")
    filterset_class = MemberUnitFilter
    permission_classes = [permissions.AllowAny]
    ordering_fields = ["name", "joined_on", "star_rating", "id"]
    ordering = ["name"]

    def get_queryset(self):
        return selectors.visible_units(self.request.user).order_by("name", "id")


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


ROUTES = [
    ("units", MemberUnitViewSet, "units"),
    ("members", PartyMemberViewSet, "members"),
]
