"""Writes of the grid that are more than a form's save: a node's boundary from an uploaded GeoJSON."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from alliance.core.scoping import node_in_scope
from grids import geo
from grids.models import GridNode


def can_edit_boundary(user, node: GridNode) -> bool:
    """Street and community admins (and superusers) of the node's subtree draw its boundary."""
    return bool(user.is_superuser or (user.role in user.ADMIN_ROLES and node_in_scope(node, user)))


@transaction.atomic
def set_boundary(*, by, node: GridNode, geometry) -> GridNode:
    """Replace the node's boundary (checked again here: Polygon/MultiPolygon in WGS84); a node with no centre
    gets the middle of the boundary as its centre, so its pin and the point-in-polygon prefilter find it."""
    if not can_edit_boundary(by, node):
        raise PermissionDenied(_("只有该网格的街道或社区管理员可以修改边界。"))
    geometry = geo.clean_geometry(geometry)
    node = GridNode.objects.select_for_update().get(pk=node.pk)
    node.boundary = geometry
    fields = ["boundary"]
    if node.center_lat is None or node.center_lng is None:
        middle = geo.centre(geometry)
        if middle is not None:
            node.center_lat, node.center_lng = middle
            fields += ["center_lat", "center_lng"]
    node.save(update_fields=fields)
    return node
