"""API collections of this app, registered under /api/v1/ by alliance.urls.

``grids``: the public grid (公示) — streets, communities and micro-grids with level/parent/path filters;
one node's detail adds its public posts (masked phones) and its teams.
"""

from django.db.models import Count, Prefetch, Q
from rest_framework import viewsets

from alliance.cache import CachedListMixin
from grids.filters import GridNodeFilter
from grids.models import GridNode, GridRole, Team, TeamMember
from grids.serializers import GridNodeDetailSerializer, GridNodeSerializer


class GridNodeViewSet(CachedListMixin, viewsets.ReadOnlyModelViewSet):
    """The three-level grid, public. List: 2 queries (count, page) whatever the size."""

    filterset_class = GridNodeFilter
    cache_groups = ("grid", "units")
    ordering_fields = ["path", "name", "code", "level", "sort_order"]
    ordering = ["path"]

    def get_queryset(self):
        qs = (
            GridNode.objects.select_related("parent")
            .annotate(
                # Subqueries, not joins: two reverse joins would multiply each other's counts.
                child_count=Count("children", distinct=True),
                unit_count=Count("units", filter=Q(units__status="active"), distinct=True),
            )
            .order_by("path")
        )
        if self.action == "retrieve":
            qs = qs.prefetch_related(
                Prefetch(
                    "roles",
                    queryset=GridRole.objects.filter(is_public=True).order_by("sort_order", "id"),
                    to_attr="public_posts",
                ),
                Prefetch(
                    "teams",
                    queryset=Team.objects.prefetch_related(
                        Prefetch("members", queryset=TeamMember.objects.order_by("id"))
                    ),
                ),
            )
        return qs

    def get_serializer_class(self):
        return GridNodeDetailSerializer if self.action == "retrieve" else GridNodeSerializer


ROUTES = [("grids", GridNodeViewSet, "grids")]
