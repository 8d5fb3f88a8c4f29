"""Reads of the grid: the public directory (公示)."""

from django.db.models import Count, Prefetch, Q

from grids.models import GridNode, GridRole, Team, TeamMember


def directory_streets():
    """Streets with their number of communities and micro-grids: one query."""
    return (
        GridNode.objects.streets()
        .annotate(
            community_count=Count("children", distinct=True),
            micro_count=Count("children__children", distinct=True),
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
