"""API collections of this app, registered under /api/v1/ by alliance.urls.

``grids``: the public grid (公示) — streets, communities and micro-grids with level/parent/path filters;
one node's detail adds its public posts (masked phones) and its teams. The collection is routed by
members.api, whose subclass adds each node's count of member units (the grid knows no members).
"""

from django.db.models import OuterRef, Prefetch
from rest_framework import viewsets

from alliance.core.cache import CachedListMixin
from grids.filters import GridNodeFilter
from grids.models import GridNode, GridRole, Team, TeamMember
from grids.selectors import count_subquery
from grids.serializers import GridNodeDetailSerializer, GridNodeSerializer


class GridNodeViewSet(CachedListMixin, viewsets.ReadOnlyModelViewSet):
    """The three-level grid, public. List: 2 queries (count, page) whatever the size.

    ``counts()`` names the per-node counts to annotate; apps above the grid extend it in a subclass."""

    filterset_class = GridNodeFilter
    cache_groups = ("grid",)
    ordering_fields = ["path", "name", "code", "level", "sort_order"]
    ordering = ["path"]

    def get_queryset(self):
        qs = (
            GridNode.objects.select_related("parent")
            # Correlated subqueries, not joins and GROUP BY: a page of a city's 33,000 nodes reads only
            # its own 20 nodes' children and units (by index), and the count needs no grouping.
            .annotate(**self.counts())
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

    def counts(self) -> dict:
        return {"child_count": count_subquery(GridNode.objects.filter(parent=OuterRef("pk")), "parent")}

    def get_serializer_class(self):
        return GridNodeDetailSerializer if self.action == "retrieve" else GridNodeSerializer


ROUTES = []  # "grids" is routed by members.api (GridNodeWithUnitsViewSet)
