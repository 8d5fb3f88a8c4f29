"""Scoping: every staff account sees only its grid subtree.

A scoped model names the path from itself to its ``GridNode`` in a class attribute
``scope_field`` (``"grid_node"``, ``"unit__grid_node"``, ``""`` for ``GridNode`` itself).
``scope_queryset`` is the one place that turns a user into a filter; the admin, the
portal, the API and the exports all call it.
"""

from django.db.models import Model, Q, QuerySet

UNSCOPED = None


def scope_path(model: type[Model]) -> str | None:
    """The lookup from ``model`` to its grid node, or None if the model is not scoped."""
    return getattr(model, "scope_field", UNSCOPED)


def user_scope_node(user):
    """The node whose subtree the user may see, or None for all (superusers)."""
    if user.is_superuser:
        return None
    return user.grid_node


def subtree_q(path: str, node) -> Q:
    prefix = f"{path}__path" if path else "path"
    return Q(**{f"{prefix}__startswith": node.path})


def scope_queryset(queryset: QuerySet, user) -> QuerySet:
    """Rows of ``queryset`` inside the user's grid subtree; none for a staff account with no node."""
    path = scope_path(queryset.model)
    if path is UNSCOPED or user.is_superuser:
        return queryset
    node = getattr(user, "grid_node", None)  # None for anonymous users: they see nothing
    if node is None:
        return queryset.none()
    return queryset.filter(subtree_q(path, node))


def in_scope(obj: Model, user) -> bool:
    """Whether one object lies inside the user's subtree (no query if the node is loaded)."""
    path = scope_path(type(obj))
    if path is UNSCOPED or user.is_superuser:
        return True
    if getattr(user, "grid_node_id", None) is None:
        return False
    node = obj
    for part in path.split("__") if path else []:
        node = getattr(node, part)
        if node is None:
            return False
    return node.path.startswith(user.grid_node.path)
