"""Reads of the grid: the public directory (公示)."""

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from alliance.core.querying import parse_id
from grids import geo
from grids.models import GridNode, GridRole, Team, TeamMember


def count_subquery(queryset, field: str):
    """The number of rows of ``queryset`` (filtered on an ``OuterRef``) grouped by ``field``, as a correlated
    subquery: each listed row counts its own rows by index, with no join and no GROUP BY over a whole city."""
    return Coalesce(Subquery(queryset.order_by().values(field).annotate(n=Count("id")).values("n")), 0)


def _count_in_street(level: int):
    """A street's nodes of one level, on the denormalised ``street_id``."""
    return count_subquery(GridNode.objects.filter(street_id=OuterRef("pk"), level=level), "street_id")


def directory_streets():
    """Streets with their number of communities and micro-grids: one query, two index lookups per street."""
    return (
        GridNode.objects.streets()
        .annotate(
            community_count=_count_in_street(GridNode.Level.COMMUNITY),
            micro_count=_count_in_street(GridNode.Level.MICRO),
        )
        .order_by("sort_order", "id")
    )


def directory_node(node_id: int) -> dict:
    """One node of the directory with its ancestors, children, public posts and teams.

    Six queries whatever the size: node, ancestors, children (with counts), posts, teams, team members.
    """
    node = GridNode.objects.select_related("parent").get(pk=node_id)
    ancestors = node.ancestors()[:-1]
    children = list(
        node.children.annotate(
            child_count=Count("children", distinct=True),
            post_count=Count("roles", filter=Q(roles__is_public=True), distinct=True),
        ).order_by("sort_order", "id")
    )
    posts = list(GridRole.objects.filter(node=node, is_public=True).order_by("sort_order", "id"))
    teams = list(
        Team.objects.filter(node=node).prefetch_related(Prefetch("members", queryset=TeamMember.objects.order_by("id")))
    )
    return {"node": node, "ancestors": ancestors, "children": children, "posts": posts, "teams": teams}


FILTER_NODES_LIMIT = 60


def filter_nodes(selected_id=None, *, nodes=None) -> list[GridNode]:
    """Streets and communities for a filter's select, in tree order.

    A district's all fit in one select (one query). Past ``FILTER_NODES_LIMIT`` — a city's thousands of
    communities — the select picks in two steps: every street, and the communities of the street of the
    selected node only (a second query), so a page never carries the whole city.
    """
    nodes = GridNode.objects.all() if nodes is None else nodes  # a viewer's scope, in the admin
    nodes = nodes.filter(level__lte=GridNode.Level.COMMUNITY).only("pk", "name", "level", "street_id")
    nodes = nodes.order_by("path")
    first = list(nodes[: FILTER_NODES_LIMIT + 1])
    if len(first) <= FILTER_NODES_LIMIT:
        return first
    selected_id = parse_id(selected_id)
    street = GridNode.objects.filter(pk=selected_id).values("street_id") if selected_id else None
    wanted = Q(level=GridNode.Level.STREET)
    if street is not None:
        wanted |= Q(street_id__in=street)
    return list(nodes.filter(wanted))


# The prefilter around a point: micro-grids whose centre lies this far at most (a micro-grid is a few blocks).
NEAR_M = 3000


def micro_grid_at(lat, lng, *, within: GridNode | None = None) -> GridNode | None:
    """The micro-grid whose boundary holds the point (one query: the grids centred near it, then geometry)."""
    dlat, dlng = geo.degrees_around(NEAR_M, lat)
    nodes = GridNode.objects.filter(
        level=GridNode.Level.MICRO,
        boundary__isnull=False,
        center_lat__range=(float(lat) - dlat, float(lat) + dlat),
        center_lng__range=(float(lng) - dlng, float(lng) + dlng),
    ).select_related("parent")
    if within is not None:
        nodes = nodes.filter(path__startswith=within.path)
    return next((node for node in nodes.order_by("path") if geo.contains(node.boundary, lat, lng)), None)
