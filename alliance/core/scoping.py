"""Scoping: every staff account sees only its grid subtree.

A scoped model names the path from itself to its ``GridNode`` in a class attribute
``scope_field`` (``"grid_node"``, ``"unit__grid_node"``, ``""`` for ``GridNode`` itself).
``scope_queryset`` is the one place that turns a user into a filter; the admin, the
portal, the API and the exports all call it.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.utils.functional import Promise

UNSCOPED = None


def sees_all(user) -> bool:
    """A superuser or a district admin (区级管理员): the whole district, every street — no filter at all."""
    return bool(getattr(user, "is_superuser", False) or getattr(user, "sees_whole_district", False))


def scope_path(model: type[Model]) -> str | None:
    """The lookup from ``model`` to its grid node, or None if the model is not scoped."""
    return getattr(model, "scope_field", UNSCOPED)


def user_scope_node(user):
    """The node whose subtree the user may see, or None for all (superusers, district admins)."""
    if sees_all(user):
        return None
    return user.grid_node


def subtree_q(path: str, node) -> Q:
    prefix = f"{path}__path" if path else "path"
    return Q(**{f"{prefix}__startswith": node.path})


def by_street_column(model: type[Model], user) -> bool:
    """Whether ``user``'s rows of ``model`` are found by the rows' own street column: a street-level account (its
    grid node has no parent) and a model that keeps its street beside its node (``scope_street``,
    grids.models.KeepsStreet). The column and its index then replace a join to the grid nodes to compare paths."""
    if sees_all(user) or getattr(user, "grid_node_id", None) is None or not getattr(model, "scope_street", None):
        return False
    return user.grid_node.parent_id is None


def scope_queryset(queryset: QuerySet, user) -> QuerySet:
    """Rows of ``queryset`` inside the user's grid subtree; none for a staff account with no node."""
    path = scope_path(queryset.model)
    if path is UNSCOPED or sees_all(user):
        return queryset
    node = getattr(user, "grid_node", None)  # None for anonymous users: they see nothing
    if node is None:
        return queryset.none()
    if by_street_column(queryset.model, user):
        return queryset.filter(**{f"{queryset.model.scope_street}_id": node.pk})
    return queryset.filter(subtree_q(path, node))


def in_scope(obj: Model, user) -> bool:
    """Whether one object lies inside the user's subtree (no query if the node is loaded)."""
    path = scope_path(type(obj))
    if path is UNSCOPED or sees_all(user):
        return True
    if getattr(user, "grid_node_id", None) is None:
        return False
    node: Any = obj  # walks the relations of ``path``: a model of any kind
    for part in path.split("__") if path else []:
        node = getattr(node, part)
        if node is None:
            return False
    return node.path.startswith(user.grid_node.path)


def node_in_scope(node, user) -> bool:
    """Whether a grid node lies inside the user's subtree: the one scope check every permission uses."""
    if not getattr(user, "is_authenticated", False):
        return False
    if sees_all(user):
        return True
    if getattr(user, "grid_node_id", None) is None or node is None:
        return False
    return node.path.startswith(user.grid_node.path)


def is_staff_in_scope(user, node) -> bool:
    """A street admin, community admin or grid worker (``User.STAFF_ROLES``) whose subtree holds ``node``."""
    if sees_all(user):
        return True
    return getattr(user, "role", None) in getattr(user, "STAFF_ROLES", ()) and node_in_scope(node, user)


def require_in_scope(user, obj_or_node, message: str | Promise) -> None:
    """PermissionDenied (403) with ``message`` unless ``obj_or_node`` is a scoped object or node in the user's subtree."""
    ok = in_scope(obj_or_node, user) if getattr(user, "is_authenticated", False) else False
    if not ok:
        raise PermissionDenied(message)
